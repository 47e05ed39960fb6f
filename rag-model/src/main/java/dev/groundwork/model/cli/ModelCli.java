package dev.groundwork.model.cli;

import dev.groundwork.model.llm.CausalLm;
import dev.groundwork.model.llm.TextGeneratorLoader;
import dev.groundwork.model.pull.HubDownloader;
import java.net.URI;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The model CLI, main class of {@code rag-model.jar}: {@code generate --model DIR --prompt TEXT} runs a local model
 * (see {@link GenerateCommand}); {@code pull REPO --dir DIR} downloads a model from the Hugging Face hub (see
 * {@link PullCommand}). Exit codes: 0 success, 1 the command failed (its message on stderr), 2 usage error.
 *
 * <p>DJL must stay offline: {@code main} sets {@code ai.djl.offline=true} unless given (pull uses its own HTTP
 * client, not DJL's downloads), and the environment must set {@code OPT_OUT_TRACKING=true}.
 */
@Command(name = "groundwork-model", mixinStandardHelpOptions = true,
        description = "Groundwork local language models: generate text, pull a model from the Hugging Face hub.")
public final class ModelCli implements Runnable {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        CausalLm.loadNativeKernelsFirst();
        System.exit(commandLine(TextGeneratorLoader.causalLm(), HubDownloader::new, System::getenv).execute(args));
    }

    /**
     * The command line; {@code execute} returns the exit code.
     *
     * @param downloaders makes a downloader from an endpoint and a token (or {@code null})
     * @param environment reads environment variables ({@code HF_TOKEN})
     */
    public static CommandLine commandLine(TextGeneratorLoader loader,
            BiFunction<URI, String, HubDownloader> downloaders, Function<String, String> environment) {
        CommandLine cli = new CommandLine(new ModelCli());
        cli.addSubcommand("generate", new GenerateCommand(loader));
        cli.addSubcommand("pull", new PullCommand(downloaders, environment));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            commandLine.getErr().flush();
            return 1;
        });
        return cli;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: generate or pull");
    }
}
