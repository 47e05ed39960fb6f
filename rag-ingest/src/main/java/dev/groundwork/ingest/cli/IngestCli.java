package dev.groundwork.ingest.cli;

import dev.groundwork.ingest.bench.IngestBenchmark;
import dev.groundwork.ingest.index.postgres.StoreBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The batch ingestion CLI: {@code java -jar rag-ingest.jar ingest DIR --collection NAME --data-dir PATH} and
 * {@code list --data-dir PATH}, and {@code bench CORPUS --data-dir PATH} (see {@link IngestBenchmark}). With
 * {@code --jdbc-url URL} instead of {@code --data-dir}, ingest and list use the PostgreSQL store, which also has
 * {@code enqueue}/{@code work} (a queue for many workers), {@code reembed} and {@code bench-stores}. Exit codes: 0 success, 1 some file failed (or the run could not proceed), 2 usage
 * error.
 *
 * <p>DJL must stay offline: {@code main} sets {@code ai.djl.offline=true} unless given, and the environment must
 * set {@code OPT_OUT_TRACKING=true} (DJL reads that one from the environment only; the project's scripts set it).
 */
@Command(name = "groundwork-ingest", mixinStandardHelpOptions = true,
        description = "Groundwork batch ingestion into the embedded Lucene index or PostgreSQL.")
public final class IngestCli implements Runnable {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        System.exit(commandLine(IngestComponents.production()).execute(args));
    }

    /** The command line with its subcommands, built from {@code components}; {@code execute} returns the exit code. */
    public static CommandLine commandLine(IngestComponents components) {
        CommandLine cli = new CommandLine(new IngestCli());
        cli.addSubcommand("ingest", new IngestCommand(components));
        cli.addSubcommand("list", new ListCommand());
        cli.addSubcommand("bench", new IngestBenchmark(components));
        cli.addSubcommand("enqueue", new EnqueueCommand());
        cli.addSubcommand("work", new WorkCommand(components));
        cli.addSubcommand("reembed", new ReembedCommand(components));
        cli.addSubcommand("bench-stores", new StoreBenchmark());
        // An error that is not the user's typing (a locked index, an unreadable model) gets its message, not a trace.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            commandLine.getErr().flush();
            return 1;
        });
        return cli;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: ingest, list or bench");
    }
}
