package dev.groundwork.ingest.cli;

import dev.groundwork.ingest.index.IndexedDocument;
import dev.groundwork.ingest.index.postgres.IngestQueue;
import dev.groundwork.ingest.index.postgres.PostgresIndex;
import dev.groundwork.ingest.pipeline.SourceWalker;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code enqueue DIR --collection NAME --jdbc-url URL}: puts the folder's files on the PostgreSQL ingest queue for
 * {@code work} processes, and removes the documents whose file vanished. The folder must be readable at the same
 * path by the workers (a shared volume).
 */
@Command(name = "enqueue", mixinStandardHelpOptions = true,
        description = "Queues a folder's files for ingest workers (PostgreSQL store) and removes vanished documents.")
final class EnqueueCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "folder of documents, as the workers see it")
    private Path dir;

    @Option(names = "--collection", required = true, paramLabel = "NAME", description = "collection name")
    private String collection;

    @ArgGroup(exclusive = false, multiplicity = "1")
    private StoreOptions.Postgres postgres;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "DIR " + dir + " is not a folder");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<String> sources = SourceWalker.walk(dir);
        Map<String, Path> files = new TreeMap<>();
        sources.forEach(source -> files.put(source, dir.resolve(source).toAbsolutePath().normalize()));
        try (PostgresIndex index = StoreOptions.connect(postgres)) {
            int queued = new IngestQueue(index).enqueue(collection, files);
            Set<String> present = new HashSet<>(sources);
            int removed = 0;
            for (IndexedDocument document : index.documents(collection)) {
                if (!present.contains(document.source()) && index.delete(document.documentId())) {
                    removed++;
                }
            }
            out.printf("collection %s: %d files queued, %d vanished documents removed%n", collection, queued, removed);
            out.flush();
            return 0;
        }
    }
}
