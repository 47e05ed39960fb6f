package dev.groundwork.ingest.retrieve;

import java.util.List;

/**
 * Fuses a BM25 and a vector retriever by weighted reciprocal rank fusion (see {@link ReciprocalRankFusion}).
 *
 * <p>Each retriever is asked for {@code max(k, options.candidates())} results; a retriever whose weight is 0 is
 * not asked at all. Thread-safe if both retrievers are.
 */
public class HybridRetriever implements Retriever {

    private final Retriever bm25;
    private final Retriever vector;
    private final FusionOptions options;
    private final ReciprocalRankFusion fusion;

    public HybridRetriever(Retriever bm25, Retriever vector, FusionOptions options) {
        if (bm25 == null || vector == null || options == null) {
            throw new IllegalArgumentException("both retrievers and the fusion options are required");
        }
        this.bm25 = bm25;
        this.vector = vector;
        this.options = options;
        this.fusion = new ReciprocalRankFusion(options);
    }

    @Override
    public List<ScoredChunk> retrieve(RetrievalQuery query) {
        RetrievalQuery candidates = query.withK(Math.max(query.k(), options.candidates()));
        List<ScoredChunk> lexical = options.bm25Weight() > 0 ? bm25.retrieve(candidates) : List.of();
        List<ScoredChunk> semantic = options.vectorWeight() > 0 ? vector.retrieve(candidates) : List.of();
        return fusion.fuse(lexical, semantic, query.k());
    }
}
