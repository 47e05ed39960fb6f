package dev.groundwork.ingest.index.postgres;

import dev.groundwork.ingest.pipeline.IngestListener;
import dev.groundwork.ingest.pipeline.Ingester;
import dev.groundwork.ingest.testdoubles.HashingEmbedder;
import dev.groundwork.ingest.testdoubles.ParagraphChunker;
import dev.groundwork.ingest.testdoubles.TxtParser;
import java.nio.file.Path;

/**
 * The ingestion run that {@link KilledIngestTest} starts in a child JVM and kills with SIGKILL:
 * {@code IngestChild JDBC_URL DIR} ingests the folder into collection {@code kb}.
 */
public final class IngestChild {

    private IngestChild() {
    }

    public static void main(String[] args) {
        try (PostgresIndex index = PostgresIndex.connect(args[0], null, null)) {
            Ingester ingester = new Ingester(new TxtParser(), new ParagraphChunker(), new HashingEmbedder(), index);
            ingester.ingestDirectory(Path.of(args[1]), "kb", new IngestListener() { });
            System.out.println("finished");
        }
    }
}
