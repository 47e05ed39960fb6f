package dev.groundwork.ingest.index;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The write side of a store of documents and their embedded chunks: the embedded Lucene index, or PostgreSQL.
 *
 * <p>Every mutation is atomic per document: after a crash a document is either fully present in its old
 * version, fully present in its new one, or absent; never half-written. Implementations are thread-safe.
 */
public interface DocumentIndex extends AutoCloseable {

    /** The document stored under this id, if any. */
    Optional<IndexedDocument> document(String documentId);

    /** The documents of a collection, ordered by source path. Empty for an unknown collection. */
    List<IndexedDocument> documents(String collection);

    /** Names of the collections that hold at least one document, sorted. */
    Set<String> collections();

    /**
     * Stores a document and its chunks, replacing every chunk of an earlier version in one atomic step.
     *
     * @throws IllegalArgumentException if a chunk belongs to another document or a vector has the wrong size
     */
    void put(IndexedDocument document, List<EmbeddedChunk> chunks);

    /**
     * Stores several documents, each atomically as by {@link #put}. Implementations may make them durable together
     * (one commit instead of one per document, which dominates the cost of small files); if that fails, none of
     * them is stored and the exception says why.
     */
    default void putAll(List<DocumentVersion> versions) {
        for (DocumentVersion version : versions) {
            put(version.document(), version.chunks());
        }
    }

    /** Removes a document and all its chunks atomically. @return whether it existed */
    boolean delete(String documentId);

    /** The vector size this index holds, or 0 while it is empty and unset. */
    int dimensions();

    @Override
    void close();
}
