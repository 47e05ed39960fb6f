package dev.groundwork.api.documents;

import java.util.List;

/**
 * Reply of {@code POST /api/documents}: one result per uploaded file, in upload order.
 *
 * @param collection the collection the files went to
 * @param results per-file results
 */
public record UploadResponse(String collection, List<UploadResult> results) {

    public UploadResponse {
        results = List.copyOf(results);
    }
}
