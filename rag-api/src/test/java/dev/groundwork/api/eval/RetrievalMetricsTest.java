package dev.groundwork.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.api.eval.RankedDocuments.DocumentKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {

    private static List<DocumentKey> ranked(String... sources) {
        return java.util.Arrays.stream(sources).map(s -> new DocumentKey("id-" + s, s)).toList();
    }

    @Test
    void reciprocalRankIsOneOverTheFirstGoldRank() {
        List<DocumentKey> list = ranked("a", "b", "c", "d");
        assertThat(RetrievalMetrics.reciprocalRankAt(list, Set.of("c"), 10)).isEqualTo(1.0 / 3);
        assertThat(RetrievalMetrics.reciprocalRankAt(list, Set.of("c", "b"), 10)).isEqualTo(0.5);
        assertThat(RetrievalMetrics.reciprocalRankAt(list, Set.of("z"), 10)).isZero();
        assertThat(RetrievalMetrics.reciprocalRankAt(list, Set.of("d"), 3)).isZero();
    }

    @Test
    void recallCountsGoldDocumentsInTheTopK() {
        List<DocumentKey> list = ranked("a", "b", "c", "d", "e", "f");
        assertThat(RetrievalMetrics.recallAt(list, Set.of("b", "f"), 5)).isEqualTo(0.5);
        assertThat(RetrievalMetrics.recallAt(list, Set.of("b", "f"), 10)).isEqualTo(1.0);
    }

    @Test
    void goldMayNameTheDocumentIdInsteadOfTheSource() {
        assertThat(RetrievalMetrics.recallAt(ranked("a", "b"), Set.of("id-b"), 5)).isEqualTo(1.0);
    }

    @Test
    void ndcgMatchesAHandComputedValue() {
        // gold {b, d}: DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3)
        double dcg = 1 / log2(3) + 1 / log2(5);
        double ideal = 1 + 1 / log2(3);
        assertThat(RetrievalMetrics.ndcgAt(ranked("a", "b", "c", "d"), Set.of("b", "d"), 10))
                .isCloseTo(dcg / ideal, within(1e-12));
        assertThat(RetrievalMetrics.ndcgAt(ranked("b", "d"), Set.of("b", "d"), 10)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void percentileUsesNearestRank() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(RetrievalEvaluator.percentile(sorted, 0.5)).isEqualTo(5);
        assertThat(RetrievalEvaluator.percentile(sorted, 0.95)).isEqualTo(10);
        assertThat(RetrievalEvaluator.percentile(new double[0], 0.5)).isZero();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
