package dev.groundwork.ingest.index;

import java.time.Instant;
import java.util.List;

/**
 * What an index knows about one document.
 *
 * @param documentId see {@link dev.groundwork.ingest.chunk.DocumentRef#idFor}
 * @param collection collection name
 * @param source source path within the collection
 * @param title title
 * @param mediaType detected media type
 * @param contentHash SHA-256 (hex) of the file's bytes; decides skip or re-index
 * @param chunkCount number of chunks stored for it
 * @param embeddingModel id of the model that embedded its chunks
 * @param acl principals allowed to read it; empty means everyone
 * @param indexedAt when this version was written
 */
public record IndexedDocument(String documentId, String collection, String source, String title, String mediaType,
        String contentHash, int chunkCount, String embeddingModel, List<String> acl, Instant indexedAt) {

    public IndexedDocument {
        acl = List.copyOf(acl);
    }
}
