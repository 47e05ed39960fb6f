package dev.groundwork.api.documents;

import dev.groundwork.ingest.pipeline.FileOutcome;
import java.io.InputStream;

/**
 * What the documents endpoints need from ingestion: the port between the web layer and the
 * parse → chunk → embed → index pipeline. Implementations are thread-safe.
 */
public interface DocumentIngestion {

    /** Whether files of this name can be read at all (decided by the name, before reading any bytes). */
    boolean supports(String fileName);

    /**
     * Ingests one file synchronously. Failures (corrupt, empty, encrypted) come back as a {@code FAILED} outcome
     * with a reason; the index is never left half-written.
     */
    FileOutcome ingest(String collection, String source, InputStream content);
}
