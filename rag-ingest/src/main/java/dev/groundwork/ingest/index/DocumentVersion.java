package dev.groundwork.ingest.index;

import dev.groundwork.ingest.chunk.Chunk;
import java.util.List;

/**
 * One document as it should be stored: its record and all its embedded chunks. The constructor makes the checks a
 * store needs before it writes anything, with messages that name the document, so every store refuses the same
 * inconsistent input the same way.
 */
public record DocumentVersion(IndexedDocument document, List<EmbeddedChunk> chunks) {

    public DocumentVersion {
        if (document == null || chunks == null) {
            throw new IllegalArgumentException("document and chunks are required");
        }
        chunks = List.copyOf(chunks);
        if (document.documentId() == null || document.collection() == null || document.source() == null
                || document.title() == null || document.mediaType() == null || document.contentHash() == null
                || document.embeddingModel() == null || document.indexedAt() == null) {
            throw new IllegalArgumentException("document " + document.source() + " lacks a required field: "
                    + document);
        }
        if (document.chunkCount() != chunks.size()) {
            throw new IllegalArgumentException("document " + document.source() + " says " + document.chunkCount()
                    + " chunks but " + chunks.size() + " were given");
        }
        for (EmbeddedChunk embedded : chunks) {
            Chunk chunk = embedded.chunk();
            if (!chunk.documentId().equals(document.documentId())
                    || !chunk.collection().equals(document.collection())) {
                throw new IllegalArgumentException("chunk " + chunk.id() + " belongs to document "
                        + chunk.collection() + "/" + chunk.documentId() + ", not to " + document.collection() + "/"
                        + document.documentId());
            }
            if (embedded.vector().length != chunks.get(0).vector().length) {
                throw new IllegalArgumentException("chunk " + chunk.id() + " of " + document.source() + " has a "
                        + embedded.vector().length + "-dimensional vector, the others "
                        + chunks.get(0).vector().length);
            }
        }
    }
}
