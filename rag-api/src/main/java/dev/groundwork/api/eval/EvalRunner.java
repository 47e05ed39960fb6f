package dev.groundwork.api.eval;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One evaluation run over a list of questions: retrieval in each mode, then (optionally) answers and the judge.
 * Shared by the command line and the REST endpoint so that both measure the same way. Stateless.
 */
public final class EvalRunner {

    /**
     * @param dataset where the questions came from, for the report
     * @param collection the collection to search, {@code null} for all
     * @param modes retrieval modes to evaluate, in order
     * @param chunkFactor chunks retrieved per wanted document
     * @param answers whether to answer the questions and score the answers
     * @param judge whether the judge model scores the answers (implies {@code answers})
     */
    public record Options(String dataset, String collection, List<String> modes, int chunkFactor, boolean answers,
            boolean judge, int k) {

        public Options {
            modes = List.copyOf(modes);
        }

        /** Options at the default recall cutoff k = 10. */
        public Options(String dataset, String collection, List<String> modes, int chunkFactor, boolean answers,
                boolean judge) {
            this(dataset, collection, modes, chunkFactor, answers, judge, 10);
        }
    }

    private EvalRunner() {
    }

    /**
     * @throws IllegalArgumentException if answers are asked for without an answerer, or the judge without a model
     */
    public static EvalReport run(List<EvalQuestion> questions, EvalContext context, Options options) {
        boolean answers = options.answers() || options.judge();
        if (answers && context.answerer() == null) {
            throw new IllegalArgumentException("answer evaluation needs an answerer, and none is configured");
        }
        if (options.judge() && context.judgeModel() == null) {
            throw new IllegalArgumentException("the judge needs a language model: set rag.model.path "
                    + "(--model on the command line) to a model folder");
        }
        List<RetrievalEvaluator.ModeResult> retrieval = new RetrievalEvaluator(options.chunkFactor(), options.k())
                .evaluate(questions, context.retrievalModes().select(options.modes()), options.collection());
        AnswerEvaluator.Result answerResult = null;
        AnswerJudge judge = options.judge() ? new AnswerJudge(context.judgeModel()) : null;
        if (answers) {
            answerResult = new AnswerEvaluator(context.answerer(), judge).evaluate(questions, options.collection());
        }
        EvalReport.Settings settings = new EvalReport.Settings(options.dataset(), options.collection(),
                questions.size(), options.k(), options.modes(), answers ? context.answererName() : null,
                answers ? context.answerTopK() : 0, context.embeddingModel(),
                judge == null ? null : judge.modelId(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return new EvalReport(settings, retrieval, answerResult);
    }
}
