package dev.groundwork.ingest.pipeline;

/**
 * What happened to one file in an ingestion run.
 *
 * @param source source path within the collection
 * @param documentId the document's id
 * @param status added, updated, unchanged, deleted or failed
 * @param chunks number of chunks now stored for it (0 when deleted or failed)
 * @param reason why it failed, naming the cause; {@code null} unless failed
 */
public record FileOutcome(String source, String documentId, Status status, int chunks, String reason) {

    public enum Status { ADDED, UPDATED, UNCHANGED, DELETED, FAILED }

    public FileOutcome {
        if ((status == Status.FAILED) != (reason != null)) {
            throw new IllegalArgumentException("a reason is given exactly when a file failed");
        }
    }
}
