package dev.groundwork.api.eval;

import dev.groundwork.ingest.retrieve.RetrievalModes;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code rag-api.jar eval --dataset FILE --data-dir PATH [--collection NAME] [--modes bm25,vector,hybrid] [--answers]
 * [--judge] [--model DIR] [--out DIR]}: runs a JSONL dataset through each retrieval mode of an ingested data folder
 * and prints recall@5, recall@10, MRR@10, nDCG@10 and latency; with {@code --answers} also answers every question
 * with the configured answerer and scores the answers (exact match, F1, contains, citations); with {@code --judge}
 * the configured language model also judges faithfulness and relevance. {@code --out} writes {@code report.json}
 * and {@code report.html}. {@code eval --compare A B} compares two reports; {@code eval import-squad} turns a
 * SQuAD-format file into documents plus a dataset. Retrievers and answerer come from the same Spring configuration
 * as the server, so the numbers describe what the service does.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, subcommands = EvalCommand.ImportSquad.class,
        description = "Evaluate retrieval and answers on a JSONL dataset over an ingested data folder.")
public final class EvalCommand implements Callable<Integer> {

    /** Opens what an evaluation runs against (the Spring context in production). */
    @FunctionalInterface
    public interface ContextFactory {

        /** @param model a language model folder overriding {@code rag.model.path}, or {@code null} */
        EvalContext open(Path dataDir, Path model);
    }

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

    @Option(names = "--k", defaultValue = "10",
            description = "Cutoff of an extra recall@k column (recall@5, recall@10, MRR@10 and nDCG@10 are always shown).")
    int k;

    @Option(names = "--answers", description = "Also answer each question and score the answers.")
    boolean answers;

    @Option(names = "--judge", description = "Also let the configured language model judge the answers "
            + "(faithfulness, relevance); implies --answers.")
    boolean judge;

    @Option(names = "--model", description = "Language model folder (overrides rag.model.path).")
    Path model;

    @Option(names = "--compare", arity = "2", paramLabel = "REPORT",
            description = "Compare two report.json files (A B) instead of evaluating.")
    List<Path> compare;

    @Option(names = "--out", description = "Folder for report.json and report.html (compare.html with --compare).")
    Path out;

    private final ContextFactory contexts;
    private final PrintStream stdout;

    public EvalCommand(ContextFactory contexts, PrintStream stdout) {
        this.contexts = contexts;
        this.stdout = stdout;
    }

    /** Runs the command line; returns the exit code (0 ok, 1 failure, 2 usage error). */
    public static int run(String[] args, ContextFactory contexts) {
        return commandLine(contexts, System.out).execute(args);
    }

    /** Retrieval only, for callers that have no answerer. */
    public static int run(String[] args, Function<Path, RetrievalModes> retrievalModes) {
        return run(args, (dir, model) -> EvalContext.retrievalOnly(retrievalModes.apply(dir)));
    }

    /** The command line, for tests; {@code execute} returns the exit code. */
    static CommandLine commandLine(ContextFactory contexts, PrintStream stdout) {
        CommandLine cli = new CommandLine(new EvalCommand(contexts, stdout));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return cli;
    }

    static CommandLine commandLine(Function<Path, RetrievalModes> retrievalModes, PrintStream stdout) {
        return commandLine((dir, model) -> retrievalModes == null ? null
                : EvalContext.retrievalOnly(retrievalModes.apply(dir)), stdout);
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (compare != null) {
            return compare();
        }
        if (dataset == null || dataDir == null) {
            throw new ParameterException(spec.commandLine(), "eval needs --dataset and --data-dir");
        }
        List<EvalQuestion> questions = EvalDataset.read(dataset);
        questions = questions.subList(0, Math.min(limit, questions.size()));
        EvalContext context = contexts.open(dataDir, model);
        EvalReport report = EvalRunner.run(questions, context, new EvalRunner.Options(dataset.toString(), collection,
                modes, chunkFactor, answers, judge, k));
        stdout.printf("dataset %s, %d questions, collection %s%n", dataset, questions.size(),
                collection == null ? "(all)" : collection);
        stdout.print(RetrievalEvaluator.table(report.retrieval()));
        if (report.answers() != null) {
            stdout.printf("%nanswers by %s (top %d passages)%n", report.settings().answerer(),
                    report.settings().answerTopK());
            stdout.print(EvalTables.answers(report.answers().summary()));
        }
        if (out != null) {
            Path json = report.writeJson(out);
            Path html = out.resolve("report.html");
            EvalReport.writeAtomically(html, HtmlReport.render(report));
            stdout.printf("wrote %s and %s%n", json, html);
        }
        return 0;
    }

    private int compare() throws Exception {
        JsonNode a = ReportComparison.read(compare.get(0));
        JsonNode b = ReportComparison.read(compare.get(1));
        stdout.print(ReportComparison.table(a, b, compare.get(0).toString(), compare.get(1).toString()));
        if (out != null) {
            Files.createDirectories(out);
            Path html = out.resolve("compare.html");
            EvalReport.writeAtomically(html,
                    ReportComparison.html(a, b, compare.get(0).toString(), compare.get(1).toString()));
            stdout.printf("wrote %s%n", html);
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
