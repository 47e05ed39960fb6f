package dev.groundwork.api.eval;

import dev.groundwork.api.eval.RankedDocuments.DocumentKey;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs every question of a dataset through each retrieval mode and aggregates document-level metrics.
 *
 * <p>Chunks are collapsed to documents; to fill {@code k} distinct documents the retriever is asked for
 * {@code chunkFactor × k} chunks. Not thread-safe; one instance per run.
 */
public final class RetrievalEvaluator {

    /**
     * Aggregated metrics of one mode, with the scores of each question. Latencies are per query, in ms.
     * {@code recallAtK} is recall at the run's cutoff {@code k} (the {@code --k} option), beside the fixed 5 and 10.
     */
    public record ModeResult(String mode, int questions, double recallAt5, double recallAt10, double mrrAt10,
            double ndcgAt10, double latencyP50Ms, double latencyP95Ms, List<QuestionRetrieval> perQuestion, int k,
            double recallAtK) {

        public ModeResult {
            perQuestion = List.copyOf(perQuestion);
        }

        /** A result at the default cutoff k = 10. */
        public ModeResult(String mode, int questions, double recallAt5, double recallAt10, double mrrAt10,
                double ndcgAt10, double latencyP50Ms, double latencyP95Ms, List<QuestionRetrieval> perQuestion) {
            this(mode, questions, recallAt5, recallAt10, mrrAt10, ndcgAt10, latencyP50Ms, latencyP95Ms, perQuestion,
                    10, recallAt10);
        }
    }

    /**
     * One question's retrieval scores in one mode.
     *
     * @param firstGoldRank 1-based rank of the first gold document in the top 10, 0 when none is there
     */
    public record QuestionRetrieval(String id, int firstGoldRank, double recallAt10, double reciprocalRank,
            double ndcgAt10) {
    }

    private final int chunkFactor;
    private final int k;

    public RetrievalEvaluator(int chunkFactor) {
        this(chunkFactor, 10);
    }

    /** @param k the cutoff of {@link ModeResult#recallAtK()}; MRR and nDCG stay at 10 */
    public RetrievalEvaluator(int chunkFactor, int k) {
        if (chunkFactor < 1) {
            throw new IllegalArgumentException("chunkFactor must be >= 1");
        }
        if (k < 1 || k > 1000) {
            throw new IllegalArgumentException("k must be between 1 and 1000, was " + k);
        }
        this.chunkFactor = chunkFactor;
        this.k = k;
    }

    /**
     * @param modes retrievers by mode name (e.g. bm25, vector, hybrid), evaluated in this order
     * @param collection collection to search, or {@code null} for all
     */
    public List<ModeResult> evaluate(List<EvalQuestion> questions, Map<String, Retriever> modes, String collection) {
        List<ModeResult> results = new ArrayList<>();
        for (Map.Entry<String, Retriever> mode : new LinkedHashMap<>(modes).entrySet()) {
            results.add(evaluateMode(mode.getKey(), mode.getValue(), questions, collection));
        }
        return results;
    }

    private ModeResult evaluateMode(String name, Retriever retriever, List<EvalQuestion> questions, String collection) {
        double r5 = 0;
        double r10 = 0;
        double mrr = 0;
        double ndcg = 0;
        double rk = 0;
        int depth = Math.max(10, k);
        double[] latencies = new double[questions.size()];
        List<QuestionRetrieval> perQuestion = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            EvalQuestion q = questions.get(i);
            long start = System.nanoTime();
            List<ScoredChunk> hits = retriever.retrieve(new RetrievalQuery(q.question(), collection, depth * chunkFactor));
            latencies[i] = (System.nanoTime() - start) / 1e6;
            List<DocumentKey> ranked = RankedDocuments.of(hits, depth);
            Set<String> gold = new HashSet<>(q.goldDocuments());
            double recall10 = RetrievalMetrics.recallAt(ranked, gold, 10);
            double rr = RetrievalMetrics.reciprocalRankAt(ranked, gold, 10);
            double ndcgQ = RetrievalMetrics.ndcgAt(ranked, gold, 10);
            r5 += RetrievalMetrics.recallAt(ranked, gold, 5);
            rk += RetrievalMetrics.recallAt(ranked, gold, k);
            r10 += recall10;
            mrr += rr;
            ndcg += ndcgQ;
            perQuestion.add(new QuestionRetrieval(q.id(), rr == 0 ? 0 : (int) Math.round(1 / rr), recall10, rr, ndcgQ));
        }
        int n = Math.max(1, questions.size());
        Arrays.sort(latencies);
        return new ModeResult(name, questions.size(), r5 / n, r10 / n, mrr / n, ndcg / n,
                percentile(latencies, 0.50), percentile(latencies, 0.95), perQuestion, k, rk / n);
    }

    /** Nearest-rank percentile of sorted values; 0 for none. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** A fixed-width table for the terminal; a recall@k column is added when k is neither 5 nor 10. */
    public static String table(List<ModeResult> results) {
        int k = results.isEmpty() ? 10 : results.get(0).k();
        boolean extra = k != 5 && k != 10;
        StringBuilder out = new StringBuilder(String.format("%-8s %9s %9s %9s%s %9s %9s %9s %9s%n",
                "mode", "questions", "R@5", "R@10", extra ? String.format(" %9s", "R@" + k) : "", "MRR@10",
                "nDCG@10", "p50 ms", "p95 ms"));
        for (ModeResult r : results) {
            out.append(String.format("%-8s %9d %9.4f %9.4f%s %9.4f %9.4f %9.1f %9.1f%n", r.mode(), r.questions(),
                    r.recallAt5(), r.recallAt10(), extra ? String.format(" %9.4f", r.recallAtK()) : "", r.mrrAt10(),
                    r.ndcgAt10(), r.latencyP50Ms(), r.latencyP95Ms()));
        }
        return out.toString();
    }
}
