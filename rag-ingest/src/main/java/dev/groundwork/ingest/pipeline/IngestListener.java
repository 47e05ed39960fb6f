package dev.groundwork.ingest.pipeline;

/** Receives progress of an ingestion run (the CLI draws a progress bar from it). Called from the ingesting thread. */
public interface IngestListener {

    IngestListener NONE = new IngestListener() { };

    /** The run found this many candidate files. */
    default void started(int files) {
    }

    /**
     * One file is done, reported in source order; {@code chunksSoFar} counts chunks stored in this run so far.
     * Files are stored in batches, so that count may include files reported just after this one.
     */
    default void fileDone(FileOutcome outcome, int filesDone, long chunksSoFar) {
    }
}
