package dev.groundwork.ingest.pipeline;

import dev.groundwork.ingest.chunk.Chunker;
import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.parse.DocumentParser;
import dev.groundwork.model.embed.Embedder;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Incremental ingestion: parse → chunk → embed → index, one document at a time.
 * TODO(skeleton): implementation lands with the index work.
 */
public class Ingester {

    public Ingester(DocumentParser parser, Chunker chunker, Embedder embedder, DocumentIndex index) {
    }

    /** Ingests every supported file under {@code dir} into {@code collection}; removes documents whose file vanished. */
    public IngestReport ingestDirectory(Path dir, String collection, IngestListener listener) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Ingests one uploaded document. Failures are reported in the outcome, never half-written. */
    public FileOutcome ingestFile(String collection, String source, InputStream content) {
        throw new UnsupportedOperationException("not yet");
    }
}
