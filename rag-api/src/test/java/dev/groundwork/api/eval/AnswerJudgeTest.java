package dev.groundwork.api.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.api.support.ScriptedTextGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerJudgeTest {

    @Test
    void readsTheJsonVerdictAndKeepsTheRawOutput() {
        String raw = "Sure. {\"score\": 4, \"reason\": \"one detail is not in [2]\"} Done.";
        JudgeVerdict v = AnswerJudge.parse(raw);
        assertThat(v.score()).isEqualTo(4);
        assertThat(v.reason()).isEqualTo("one detail is not in [2]");
        assertThat(v.raw()).isEqualTo(raw);
        assertThat(v.status()).isEqualTo("ok");
    }

    @Test
    void toleratesLooseAndQuotedScores() {
        assertThat(AnswerJudge.parse("{\"score\": \"5\", \"reason\": \"x\"}").score()).isEqualTo(5);
        assertThat(AnswerJudge.parse("Score: 2 because it drifts").score()).isEqualTo(2);
        // The first object has no score; the second one is read.
        assertThat(AnswerJudge.parse("{\"note\": 1} {\"score\": 3}").score()).isEqualTo(3);
    }

    @Test
    void outputWithoutAValidScoreIsUnparseableNotAnError() {
        for (String raw : List.of("I think it is fine.", "{\"score\": 7}", "score: 4.5", "{\"score\": \"high\"}", "")) {
            JudgeVerdict v = AnswerJudge.parse(raw);
            assertThat(v.score()).as(raw).isNull();
            assertThat(v.status()).as(raw).isEqualTo("unparseable");
            assertThat(v.raw()).isEqualTo(raw);
        }
    }

    @Test
    void judgesGreedilyWithTheRubricAndThePassages() {
        ScriptedTextGenerator model = new ScriptedTextGenerator(4096, "{\"score\": 5, \"reason\": \"all supported\"}");
        AnswerJudge judge = new AnswerJudge(model);

        JudgeVerdict faithful = judge.faithfulness("Acme was founded in 1947 [1].",
                List.of("Acme was founded in 1947 in Springfield."));
        assertThat(faithful.score()).isEqualTo(5);
        assertThat(model.lastParams().isGreedy()).isTrue();
        String prompt = model.prompts().get(0);
        assertThat(prompt).contains(AnswerJudge.FAITHFULNESS_RUBRIC, "[1] Acme was founded in 1947 in Springfield.",
                "ANSWER:\nAcme was founded in 1947 [1].");

        model.script("{\"score\": 1, \"reason\": \"off topic\"}");
        JudgeVerdict relevant = judge.relevance("When was Acme founded?", "Bread needs yeast.");
        assertThat(relevant.score()).isEqualTo(1);
        assertThat(model.prompts().get(1)).contains(AnswerJudge.RELEVANCE_RUBRIC, "QUESTION:\nWhen was Acme founded?");
    }

    @Test
    void noCitationsIsSkippedAndAFailingModelIsAnErrorVerdict() {
        ScriptedTextGenerator model = new ScriptedTextGenerator(4096, "{\"score\": 5}");
        AnswerJudge judge = new AnswerJudge(model);
        assertThat(judge.faithfulness("No answer.", List.of()).status()).isEqualTo("skipped");
        assertThat(model.prompts()).isEmpty();

        model.failWith(new IllegalStateException("out of memory"));
        JudgeVerdict v = judge.relevance("q?", "a");
        assertThat(v.status()).isEqualTo("error");
        assertThat(v.score()).isNull();
        assertThat(v.reason()).contains("out of memory");

        // A prompt over the context is a PromptTooLongException from the model: also an error verdict.
        JudgeVerdict tooLong = new AnswerJudge(new ScriptedTextGenerator(50, "x")).relevance("q?", "a");
        assertThat(tooLong.status()).isEqualTo("error");
    }
}
