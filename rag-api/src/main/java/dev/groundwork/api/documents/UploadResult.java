package dev.groundwork.api.documents;

import dev.groundwork.ingest.pipeline.FileOutcome;

/**
 * What happened to one uploaded file.
 *
 * @param source the sanitised file name, as stored
 * @param documentId the document's id, or {@code null} when the file had no usable name
 * @param status {@code ADDED}, {@code UPDATED}, {@code UNCHANGED} or {@code FAILED}
 * @param chunks chunks now stored for it (0 when failed)
 * @param reason why it failed; {@code null} unless failed
 */
public record UploadResult(String source, String documentId, FileOutcome.Status status, int chunks, String reason) {

    static UploadResult of(FileOutcome outcome) {
        return new UploadResult(outcome.source(), outcome.documentId(), outcome.status(), outcome.chunks(),
                outcome.reason());
    }

    static UploadResult failed(String source, String documentId, String reason) {
        return new UploadResult(source, documentId, FileOutcome.Status.FAILED, 0, reason);
    }

    boolean failed() {
        return status == FileOutcome.Status.FAILED;
    }
}
