package dev.groundwork.api.eval;

import dev.groundwork.api.ask.Answer;
import dev.groundwork.api.ask.Citation;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs every question through the answering path and scores the answers: rule-based metrics against the reference
 * answers ({@link AnswerMetrics}), citation metrics against the gold documents and the reference answers, and,
 * when a judge is given, faithfulness and relevance by the judge model. A question whose answering fails is
 * recorded with its error and the run goes on. Not thread-safe; one instance per run.
 */
public final class AnswerEvaluator {

    /**
     * The scores of one answer. Rule-based fields are {@code null} when the question has no reference answer;
     * {@code citesGold} is {@code null} when the answer cites nothing; judge verdicts are {@code null} without a
     * judge.
     *
     * @param citedPassages passages the answer cites
     * @param citedPassagesWithAnswer of those, how many contain a reference answer (normalised containment)
     */
    public record QuestionAnswer(String id, String question, String answer, String error, List<String> citedSources,
            double latencyMs, Double exactMatch, Double f1, Double contains, Boolean citesGold, int citedPassages,
            int citedPassagesWithAnswer, int danglingMarkers, JudgeVerdict faithfulness, JudgeVerdict relevance) {
    }

    /**
     * Aggregates. Rule-based means are over questions with a reference answer; {@code citationGoldRate} over
     * answers with at least one citation; {@code citedPassagePrecision} over all cited passages of questions with
     * a reference; judge means over verdicts with a score.
     */
    public record Summary(int questions, int failed, int withReference, double exactMatch, double f1,
            double contains, int answersWithCitations, double citationGoldRate, double citedPassagePrecision,
            int danglingMarkers, int answersWithDanglingMarkers, double latencyP50Ms, double latencyP95Ms,
            Judged faithfulness, Judged relevance) {
    }

    /** Judge aggregates: mean score over {@code scored} verdicts; the others counted by status. */
    public record Judged(int scored, double meanScore, int unparseable, int skipped, int errors) {

        static Judged of(List<JudgeVerdict> verdicts) {
            List<JudgeVerdict> present = verdicts.stream().filter(Objects::nonNull).toList();
            if (present.isEmpty()) {
                return null;
            }
            double sum = 0;
            int scored = 0;
            Map<String, Integer> byStatus = new HashMap<>();
            for (JudgeVerdict v : present) {
                byStatus.merge(v.status(), 1, Integer::sum);
                if (v.score() != null) {
                    sum += v.score();
                    scored++;
                }
            }
            return new Judged(scored, scored == 0 ? 0 : sum / scored, byStatus.getOrDefault("unparseable", 0),
                    byStatus.getOrDefault("skipped", 0), byStatus.getOrDefault("error", 0));
        }
    }

    /** Per-question scores in dataset order, and their summary. */
    public record Result(List<QuestionAnswer> questions, Summary summary) {
    }

    private final QuestionAnswerer answerer;
    private final AnswerJudge judge;

    /** @param judge the judge, or {@code null} to skip model-based metrics */
    public AnswerEvaluator(QuestionAnswerer answerer, AnswerJudge judge) {
        this.answerer = Objects.requireNonNull(answerer, "answerer");
        this.judge = judge;
    }

    /** @param collection the collection to search, or {@code null} for all */
    public Result evaluate(List<EvalQuestion> questions, String collection) {
        List<QuestionAnswer> scored = new ArrayList<>();
        for (EvalQuestion q : questions) {
            scored.add(evaluate(q, collection));
        }
        return new Result(scored, summarise(scored));
    }

    private QuestionAnswer evaluate(EvalQuestion q, String collection) {
        long start = System.nanoTime();
        QuestionAnswerer.Answered answered;
        try {
            answered = answerer.answer(q.question(), collection);
        } catch (RuntimeException e) {
            return new QuestionAnswer(q.id(), q.question(), null, String.valueOf(e.getMessage()), List.of(),
                    (System.nanoTime() - start) / 1e6, null, null, null, null, 0, 0, 0, null, null);
        }
        double latency = (System.nanoTime() - start) / 1e6;
        Answer answer = answered.answer();
        List<String> references = references(q);

        Map<String, String> textByChunk = new HashMap<>();
        for (ScoredChunk p : answered.passages()) {
            textByChunk.putIfAbsent(p.chunk().id(), p.chunk().text());
        }
        Set<String> gold = new HashSet<>(q.goldDocuments());
        List<String> citedTexts = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        boolean citesGold = false;
        int withAnswer = 0;
        for (Citation c : answer.citations()) {
            // The snippet is a cut of the passage: use the full text when the passage is at hand.
            String text = textByChunk.getOrDefault(c.chunkId(), c.snippet());
            citedTexts.add(text);
            sources.add(c.source());
            citesGold |= gold.contains(c.source()) || gold.contains(c.documentId());
            if (!references.isEmpty() && AnswerMetrics.passageContains(text, references)) {
                withAnswer++;
            }
        }
        AnswerMetrics metrics = references.isEmpty() ? null : AnswerMetrics.score(answer.text(), references);
        JudgeVerdict faithfulness = judge == null ? null : judge.faithfulness(answer.text(), citedTexts);
        JudgeVerdict relevance = judge == null ? null : judge.relevance(q.question(), answer.text());
        return new QuestionAnswer(q.id(), q.question(), answer.text(), null, sources, latency,
                metrics == null ? null : metrics.exactMatch(), metrics == null ? null : metrics.f1(),
                metrics == null ? null : metrics.contains(), answer.citations().isEmpty() ? null : citesGold,
                answer.citations().size(), withAnswer, answer.danglingMarkers(), faithfulness, relevance);
    }

    static List<String> references(EvalQuestion q) {
        List<String> out = new ArrayList<>();
        if (q.referenceAnswer() != null && !q.referenceAnswer().isBlank()) {
            out.add(q.referenceAnswer());
        }
        q.answerAliases().stream().filter(a -> a != null && !a.isBlank()).forEach(out::add);
        return out;
    }

    static Summary summarise(List<QuestionAnswer> scored) {
        int failed = 0;
        int withReference = 0;
        double em = 0;
        double f1 = 0;
        double contains = 0;
        int withCitations = 0;
        int citingGold = 0;
        int cited = 0;
        int citedWithAnswer = 0;
        int dangling = 0;
        int withDangling = 0;
        double[] latencies = new double[scored.size()];
        for (int i = 0; i < scored.size(); i++) {
            QuestionAnswer q = scored.get(i);
            latencies[i] = q.latencyMs();
            if (q.error() != null) {
                failed++;
                continue;
            }
            if (q.exactMatch() != null) {
                withReference++;
                em += q.exactMatch();
                f1 += q.f1();
                contains += q.contains();
                cited += q.citedPassages();
                citedWithAnswer += q.citedPassagesWithAnswer();
            }
            if (q.citesGold() != null) {
                withCitations++;
                citingGold += q.citesGold() ? 1 : 0;
            }
            dangling += q.danglingMarkers();
            withDangling += q.danglingMarkers() > 0 ? 1 : 0;
        }
        Arrays.sort(latencies);
        return new Summary(scored.size(), failed, withReference, ratio(em, withReference),
                ratio(f1, withReference), ratio(contains, withReference), withCitations,
                ratio(citingGold, withCitations), ratio(citedWithAnswer, cited), dangling, withDangling,
                RetrievalEvaluator.percentile(latencies, 0.50), RetrievalEvaluator.percentile(latencies, 0.95),
                Judged.of(scored.stream().map(QuestionAnswer::faithfulness).toList()),
                Judged.of(scored.stream().map(QuestionAnswer::relevance).toList()));
    }

    private static double ratio(double sum, int count) {
        return count == 0 ? 0 : sum / count;
    }
}
