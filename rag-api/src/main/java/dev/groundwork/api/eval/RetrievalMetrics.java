package dev.groundwork.api.eval;

import dev.groundwork.api.eval.RankedDocuments.DocumentKey;
import java.util.List;
import java.util.Set;

/**
 * Document-level retrieval metrics for one question with binary relevance.
 *
 * <ul>
 *   <li>recall@k: share of gold documents found in the top k;</li>
 *   <li>reciprocal rank@k: 1/rank of the first gold document in the top k, 0 if none;</li>
 *   <li>nDCG@k: DCG with gain 1 per gold document and log2(rank + 1) discount, over the ideal DCG.</li>
 * </ul>
 */
public final class RetrievalMetrics {

    private RetrievalMetrics() {
    }

    static double recallAt(List<DocumentKey> ranked, Set<String> gold, int k) {
        long found = ranked.stream().limit(k).filter(d -> d.matches(gold)).count();
        return (double) found / gold.size();
    }

    static double reciprocalRankAt(List<DocumentKey> ranked, Set<String> gold, int k) {
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (ranked.get(i).matches(gold)) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    static double ndcgAt(List<DocumentKey> ranked, Set<String> gold, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (ranked.get(i).matches(gold)) {
                dcg += 1 / log2(i + 2);
            }
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(k, gold.size()); i++) {
            ideal += 1 / log2(i + 2);
        }
        return dcg / ideal;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
