package dev.groundwork.ingest.cli;

import dev.groundwork.ingest.chunk.ChunkingOptions;
import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.postgres.IngestionRuns;
import dev.groundwork.ingest.index.postgres.PostgresIndex;
import dev.groundwork.ingest.pipeline.FileOutcome;
import dev.groundwork.ingest.pipeline.IngestReport;
import dev.groundwork.ingest.pipeline.Ingester;
import dev.groundwork.model.embed.Embedder;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ingest DIR --collection NAME (--data-dir PATH | --jdbc-url URL [--db-user U] [--db-password-env VAR])}:
 * incremental ingestion of a folder into the embedded Lucene index or the PostgreSQL store.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Ingests the documents of a folder into a collection: new and changed files are indexed, "
                + "unchanged ones skipped, vanished ones removed. Exit 0 when every file succeeded, 1 otherwise.")
final class IngestCommand implements Callable<Integer> {

    private final IngestComponents components;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "folder of documents")
    private Path dir;

    @Option(names = "--collection", required = true, paramLabel = "NAME", description = "collection name")
    private String collection;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private StoreOptions store;

    @Mixin
    private PipelineOptions pipeline;

    IngestCommand(IngestComponents components) {
        this.components = components;
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "DIR " + dir + " is not a folder");
        }
        if (collection.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--collection must not be blank");
        }
        ChunkingOptions options = pipeline.chunking(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Embedder embedder = pipeline.embedder(components); DocumentIndex index = store.open()) {
            pipeline.checkWindow(embedder, spec.commandLine());
            Ingester ingester = new Ingester(components.parser(),
                    components.chunker(embedder.tokenCounter(), options), embedder, index);
            ProgressReporter progress = new ProgressReporter(err, System.console() != null, System::nanoTime);
            // The PostgreSQL store keeps a record of each run (ingestion_runs); a killed run stays "running".
            IngestionRuns runs = index instanceof PostgresIndex postgres ? new IngestionRuns(postgres) : null;
            long runId = runs == null ? 0 : runs.start(collection, dir.toAbsolutePath().toString(),
                    ManagementFactory.getRuntimeMXBean().getName());
            IngestReport report = ingester.ingestDirectory(dir, collection, progress);
            if (runs != null) {
                runs.finish(runId, report.succeeded(), reportJson(report));
            }
            printSummary(report, out);
            out.flush();
            return report.succeeded() ? 0 : 1;
        }
    }

    private static String reportJson(IngestReport report) {
        StringBuilder json = new StringBuilder("{");
        for (FileOutcome.Status status : FileOutcome.Status.values()) {
            json.append('"').append(status.name().toLowerCase(Locale.ROOT)).append("\": ")
                    .append(report.count(status)).append(", ");
        }
        return json.append("\"seconds\": ").append(report.elapsed().toMillis() / 1000.0).append('}').toString();
    }

    static void printSummary(IngestReport report, PrintWriter out) {
        out.printf(Locale.ROOT, "collection %s: %d added, %d updated, %d unchanged, %d deleted, %d failed (%.1f s)%n",
                report.collection(), report.count(FileOutcome.Status.ADDED), report.count(FileOutcome.Status.UPDATED),
                report.count(FileOutcome.Status.UNCHANGED), report.count(FileOutcome.Status.DELETED),
                report.count(FileOutcome.Status.FAILED), report.elapsed().toMillis() / 1000.0);
        if (!report.succeeded()) {
            out.println("failed:");
            for (FileOutcome failure : report.failures()) {
                out.println("  " + failure.source() + ": " + failure.reason());
            }
        }
    }
}
