package dev.groundwork.ingest.index.postgres;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.index.EmbeddedChunk;
import dev.groundwork.ingest.index.IndexedDocument;
import java.util.List;

/** The checks a put must pass before anything is written, with messages naming the document. Stateless. */
final class PutValidation {

    private PutValidation() {
    }

    static void check(IndexedDocument document, List<EmbeddedChunk> chunks) {
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
