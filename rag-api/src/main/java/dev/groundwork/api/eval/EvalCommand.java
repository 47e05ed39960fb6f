package dev.groundwork.api.eval;

import dev.groundwork.ingest.retrieve.RetrievalModes;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code rag-api.jar eval --dataset FILE --data-dir PATH [--collection NAME] [--modes bm25,vector,hybrid] [--out DIR]}:
 * runs a JSONL dataset through each retrieval mode of an ingested data folder and prints recall@5, recall@10,
 * MRR@10, nDCG@10 and latency; {@code eval import-squad} turns a SQuAD-format file into documents plus such a
 * dataset. The retrievers come from the same Spring configuration as the server, so the numbers describe what
 * the service does.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, subcommands = EvalCommand.ImportSquad.class,
        description = "Evaluate retrieval on a JSONL dataset over an ingested data folder.")
public final class EvalCommand implements Callable<Integer> {

    // Not picocli-required: a required option of this command would also be demanded by `eval import-squad`.
    @Option(names = "--dataset", description = "JSONL: id, question, gold_documents[, reference_answer] (required)")
    Path dataset;

    @Option(names = "--data-dir", description = "The data folder the documents were ingested into (required).")
    Path dataDir;

    @Option(names = "--collection", description = "Collection to search (default: all).")
    String collection;

    @Option(names = "--modes", split = ",", defaultValue = "bm25,vector,hybrid", description = "Retrieval modes.")
    List<String> modes;

    @Option(names = "--limit", defaultValue = "2147483647", description = "Evaluate only the first N questions.")
    int limit;

    @Option(names = "--chunk-factor", defaultValue = "3",
            description = "Chunks retrieved per wanted document (chunks collapse to documents).")
    int chunkFactor;

    @Option(names = "--out", description = "Folder for report.json.")
    Path out;

    private final Function<Path, RetrievalModes> retrievalModes;
    private final PrintStream stdout;

    /**
     * @param retrievalModes opens the retrieval modes over a data folder (the Spring context in production)
     */
    public EvalCommand(Function<Path, RetrievalModes> retrievalModes, PrintStream stdout) {
        this.retrievalModes = retrievalModes;
        this.stdout = stdout;
    }

    /** Runs the command line; returns the exit code (0 ok, 1 failure, 2 usage error). */
    public static int run(String[] args, Function<Path, RetrievalModes> retrievalModes) {
        return commandLine(retrievalModes, System.out).execute(args);
    }

    /** The command line, for tests; {@code execute} returns the exit code. */
    static CommandLine commandLine(Function<Path, RetrievalModes> retrievalModes, PrintStream stdout) {
        CommandLine cli = new CommandLine(new EvalCommand(retrievalModes, stdout));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return cli;
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (dataset == null || dataDir == null) {
            throw new ParameterException(spec.commandLine(), "eval needs --dataset and --data-dir");
        }
        List<EvalQuestion> questions = EvalDataset.read(dataset);
        questions = questions.subList(0, Math.min(limit, questions.size()));
        RetrievalModes store = retrievalModes.apply(dataDir);
        List<RetrievalEvaluator.ModeResult> results =
                new RetrievalEvaluator(chunkFactor).evaluate(questions, store.select(modes), collection);
        stdout.printf("dataset %s, %d questions, collection %s%n", dataset, questions.size(),
                collection == null ? "(all)" : collection);
        stdout.print(RetrievalEvaluator.table(results));
        if (out != null) {
            Files.createDirectories(out);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("dataset", dataset.toString());
            report.put("collection", collection);
            report.put("questions", questions.size());
            report.put("retrieval", results);
            Files.writeString(out.resolve("report.json"),
                    JsonMapper.shared().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        }
        return 0;
    }

    /** {@code eval import-squad --input FILE --out DIR}: SQuAD-format JSON (or a zip of it) to documents + JSONL. */
    @Command(name = "import-squad", mixinStandardHelpOptions = true,
            description = "Turn SQuAD-format JSON (SQuAD v1.1, CMRC 2018) into a folder of documents and questions.jsonl.")
    static final class ImportSquad implements Callable<Integer> {

        @Option(names = "--input", required = true, description = "SQuAD-format .json or .json.zip")
        Path input;

        @Option(names = "--out", required = true, description = "Output folder (docs/ and questions.jsonl).")
        Path out;

        @Option(names = "--max-paragraphs", defaultValue = "2147483647", description = "Stop after N paragraphs.")
        int maxParagraphs;

        @Override
        public Integer call() throws Exception {
            SquadImporter.Result result = new SquadImporter().importDataset(input, out, maxParagraphs);
            System.out.printf("%d paragraphs -> %s%n%d questions -> %s%n", result.paragraphs(), result.documents(),
                    result.questionCount(), result.questions());
            return 0;
        }
    }
}
