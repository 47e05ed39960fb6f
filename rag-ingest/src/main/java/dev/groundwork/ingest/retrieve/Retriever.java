package dev.groundwork.ingest.retrieve;

import java.util.List;

/**
 * Finds the chunks that best answer a query. Implemented by the BM25 and vector retrievers of each store and by
 * {@code HybridRetriever}, which fuses two of them. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Retriever {

    /**
     * @return at most {@code query.k()} chunks, best first; ties broken by chunk id so results are deterministic
     */
    List<ScoredChunk> retrieve(RetrievalQuery query);
}
