package dev.groundwork.ingest.retrieve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.ingest.index.lucene.LuceneIndex;
import dev.groundwork.ingest.testdoubles.Chunks;
import dev.groundwork.ingest.testdoubles.HashingEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HybridRetrieverTest {

    @Test
    void asksEachRetrieverForTheCandidateCountAndFuses() {
        List<Integer> asked = new ArrayList<>();
        Retriever bm25 = q -> {
            asked.add(q.k());
            return ReciprocalRankFusionTest.list("a", "b");
        };
        Retriever vector = q -> {
            asked.add(q.k());
            return ReciprocalRankFusionTest.list("b", "c");
        };
        HybridRetriever hybrid = new HybridRetriever(bm25, vector, new FusionOptions(60, 1, 1, 7));

        List<ScoredChunk> fused = hybrid.retrieve(new RetrievalQuery("q", null, 2));
        assertThat(asked).containsExactly(7, 7);
        assertThat(fused).extracting(s -> s.chunk().id()).containsExactly("b", "a");

        asked.clear();
        hybrid.retrieve(new RetrievalQuery("q", null, 20));
        assertThat(asked).containsExactly(20, 20); // never fewer candidates than results wanted
    }

    @Test
    void aZeroWeightRetrieverIsNotAsked() {
        Retriever failing = q -> {
            throw new AssertionError("must not be called");
        };
        HybridRetriever bm25Only = new HybridRetriever(q -> ReciprocalRankFusionTest.list("a"), failing,
                new FusionOptions(60, 1, 0, 5));
        assertThat(bm25Only.retrieve(new RetrievalQuery("q", null, 3))).extracting(ScoredChunk::bm25Rank)
                .containsExactly(1);
    }

    @Test
    void fusedLuceneResultsCarryBothRanks(@TempDir Path dataDir) {
        HashingEmbedder embedder = new HashingEmbedder();
        try (LuceneIndex index = LuceneIndex.open(dataDir)) {
            for (Chunks.Doc doc : List.of(
                    Chunks.doc(embedder, "c", "a.txt", "glaciers carve valleys over millennia"),
                    Chunks.doc(embedder, "c", "b.txt", "valleys host rivers and farms"),
                    Chunks.doc(embedder, "c", "c.txt", "stock markets fell sharply today"))) {
                index.put(doc.document(), doc.chunks());
            }
            HybridRetriever hybrid = new HybridRetriever(index.bm25Retriever(), index.vectorRetriever(embedder),
                    FusionOptions.defaults());

            List<ScoredChunk> results = hybrid.retrieve(new RetrievalQuery("glaciers carve valleys", "c", 2));
            assertThat(results).hasSize(2);
            ScoredChunk best = results.get(0);
            assertThat(best.chunk().text()).isEqualTo("glaciers carve valleys over millennia");
            assertThat(best.bm25Rank()).isEqualTo(1);
            assertThat(best.vectorRank()).isEqualTo(1);
            assertThat(best.score()).isEqualTo(2.0 / 61);
            assertThat(results.get(1).chunk().text()).isEqualTo("valleys host rivers and farms");
            assertThat(results.get(1).bm25Rank()).isEqualTo(2);
        }
    }
}
