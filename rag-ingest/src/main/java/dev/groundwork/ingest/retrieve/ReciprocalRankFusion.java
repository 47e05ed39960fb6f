package dev.groundwork.ingest.retrieve;

import dev.groundwork.ingest.chunk.Chunk;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009) of a BM25 and a vector result list:
 * {@code score(c) = Σ weight_i / (rrfK + rank_i(c))} over the lists that contain chunk {@code c}, with 1-based
 * ranks taken from each list's order. Only ranks count, so BM25 and cosine scores need no calibration.
 * Stateless and thread-safe.
 */
public final class ReciprocalRankFusion {

    private static final Comparator<ScoredChunk> BEST_FIRST = Comparator
            .comparingDouble(ScoredChunk::score).reversed()
            .thenComparing(scored -> scored.chunk().id());

    private final FusionOptions options;

    public ReciprocalRankFusion(FusionOptions options) {
        this.options = options;
    }

    /**
     * Fuses two lists, each best first.
     *
     * @return at most {@code k} chunks by fused score, ties broken by chunk id; each carries its rank in either list
     *     ({@code null} where it was absent)
     */
    public List<ScoredChunk> fuse(List<ScoredChunk> bm25, List<ScoredChunk> vector, int k) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < bm25.size(); i++) {
            entries.computeIfAbsent(bm25.get(i).chunk().id(), id -> new Entry()).addBm25(bm25.get(i).chunk(), i + 1);
        }
        for (int i = 0; i < vector.size(); i++) {
            entries.computeIfAbsent(vector.get(i).chunk().id(), id -> new Entry())
                    .addVector(vector.get(i).chunk(), i + 1);
        }
        return entries.values().stream()
                .map(e -> new ScoredChunk(e.chunk, score(e), e.bm25Rank, e.vectorRank))
                .sorted(BEST_FIRST)
                .limit(k)
                .toList();
    }

    private double score(Entry e) {
        double score = 0;
        if (e.bm25Rank != null) {
            score += options.bm25Weight() / (options.rrfK() + e.bm25Rank);
        }
        if (e.vectorRank != null) {
            score += options.vectorWeight() / (options.rrfK() + e.vectorRank);
        }
        return score;
    }

    private static final class Entry {
        private Chunk chunk;
        private Integer bm25Rank;
        private Integer vectorRank;

        void addBm25(Chunk c, int rank) {
            chunk = c;
            if (bm25Rank == null) { // a chunk listed twice counts at its best rank
                bm25Rank = rank;
            }
        }

        void addVector(Chunk c, int rank) {
            if (chunk == null) {
                chunk = c;
            }
            if (vectorRank == null) {
                vectorRank = rank;
            }
        }
    }
}
