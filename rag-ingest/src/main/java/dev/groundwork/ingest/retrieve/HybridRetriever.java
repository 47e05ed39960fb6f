package dev.groundwork.ingest.retrieve;

import java.util.List;

/** Fuses a BM25 and a vector retriever by reciprocal rank fusion. TODO(skeleton): lands with the index work. */
public class HybridRetriever implements Retriever {

    public HybridRetriever(Retriever bm25, Retriever vector, FusionOptions options) {
    }

    @Override
    public List<ScoredChunk> retrieve(RetrievalQuery query) {
        throw new UnsupportedOperationException("not yet");
    }
}
