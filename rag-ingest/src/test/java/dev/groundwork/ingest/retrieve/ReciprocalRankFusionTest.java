package dev.groundwork.ingest.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.ingest.chunk.Chunk;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {

    static Chunk chunk(String id) {
        return new Chunk(id, "d", "c", "s.txt", "t", List.of(), null, 0, 1, "text " + id, List.of(), 0);
    }

    /** A result list in the given order; its own scores are deliberately meaningless to fusion. */
    static List<ScoredChunk> list(String... ids) {
        return Arrays.stream(ids).map(id -> new ScoredChunk(chunk(id), 1000.0, null, null)).toList();
    }

    @Test
    void sumsReciprocalRanksOfBothLists() {
        ReciprocalRankFusion rrf = new ReciprocalRankFusion(new FusionOptions(60, 1.0, 1.0, 10));
        List<ScoredChunk> fused = rrf.fuse(list("a", "b", "c"), list("c", "a", "d"), 10);

        // a: 1/61 + 1/62 = 0.032522; c: 1/63 + 1/61 = 0.032266; b: 1/62 = 0.016129; d: 1/63 = 0.015873
        assertThat(fused).extracting(s -> s.chunk().id()).containsExactly("a", "c", "b", "d");
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 61 + 1.0 / 62, within(1e-12));
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 63 + 1.0 / 61, within(1e-12));
        assertThat(fused.get(2).score()).isCloseTo(1.0 / 62, within(1e-12));
        assertThat(fused.get(3).score()).isCloseTo(1.0 / 63, within(1e-12));
        assertThat(fused).extracting(ScoredChunk::bm25Rank).containsExactly(1, 3, 2, null);
        assertThat(fused).extracting(ScoredChunk::vectorRank).containsExactly(2, 1, null, 3);
    }

    @Test
    void weightsAndKChangeTheOrder() {
        // k=0, vector weight 3: x (bm25 #1) = 1/1 = 1.0; y (vector #1) = 3/1 = 3.0; z (bm25 #2, vector #2) = 1/2 + 3/2 = 2.0
        ReciprocalRankFusion rrf = new ReciprocalRankFusion(new FusionOptions(0, 1.0, 3.0, 10));
        List<ScoredChunk> fused = rrf.fuse(list("x", "z"), list("y", "z"), 10);
        assertThat(fused).extracting(s -> s.chunk().id()).containsExactly("y", "z", "x");
        assertThat(fused).extracting(ScoredChunk::score).containsExactly(3.0, 2.0, 1.0);
    }

    @Test
    void tiesAreBrokenByChunkIdAndResultsCutAtK() {
        ReciprocalRankFusion rrf = new ReciprocalRankFusion(FusionOptions.defaults());
        // q is first in BM25 and p first in vector: equal scores 1/61, so p comes before q.
        List<ScoredChunk> fused = rrf.fuse(list("q", "r"), list("p", "s"), 3);
        assertThat(fused).extracting(s -> s.chunk().id()).containsExactly("p", "q", "r");
    }

    @Test
    void oneEmptyListKeepsTheOtherOrder() {
        ReciprocalRankFusion rrf = new ReciprocalRankFusion(FusionOptions.defaults());
        assertThat(rrf.fuse(List.of(), list("b", "a"), 5)).extracting(s -> s.chunk().id()).containsExactly("b", "a");
        assertThat(rrf.fuse(List.of(), List.of(), 5)).isEmpty();
    }
}
