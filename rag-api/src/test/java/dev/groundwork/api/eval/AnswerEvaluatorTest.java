package dev.groundwork.api.eval;

import static dev.groundwork.api.eval.Passages.answered;
import static dev.groundwork.api.eval.Passages.passage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.api.eval.AnswerEvaluator.QuestionAnswer;
import dev.groundwork.api.eval.AnswerEvaluator.Summary;
import dev.groundwork.api.support.ScriptedTextGenerator;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerEvaluatorTest {

    private static final ScoredChunk HISTORY = passage("history.md",
            "Acme was founded in 1947 in Springfield. It opened a second factory in 1960.");
    private static final ScoredChunk ABOUT = passage("about.md", "Acme sells anvils and rockets.");

    private static final List<EvalQuestion> QUESTIONS = List.of(
            new EvalQuestion("q1", "When was Acme founded?", List.of("history.md"), "1947", List.of()),
            new EvalQuestion("q2", "What does Acme sell?", List.of("about.md"), "anvils and rockets",
                    List.of("anvils")),
            new EvalQuestion("q3", "Who founded Acme?", List.of("history.md"), null, List.of()),
            new EvalQuestion("q4", "Where is Acme?", List.of("history.md"), "Springfield", List.of()));

    /** Scripted answers by question id; q4 fails. */
    private static QuestionAnswerer answers() {
        Map<String, QuestionAnswerer.Answered> byQuestion = Map.of(
                "When was Acme founded?", answered("1947 [1]", 0, HISTORY),
                // Cites the wrong document, and only half of the passages hold the answer.
                "What does Acme sell?", answered("Anvils [1] and more [2]", 1, HISTORY, ABOUT),
                "Who founded Acme?", answered("I could not find an answer in the documents.", 0));
        return (question, collection) -> {
            QuestionAnswerer.Answered a = byQuestion.get(question);
            if (a == null) {
                throw new IllegalStateException("model crashed");
            }
            return a;
        };
    }

    @Test
    void scoresAnswersAndCitationsPerQuestionAndInTotal() {
        AnswerEvaluator.Result result = new AnswerEvaluator(answers(), null).evaluate(QUESTIONS, null);
        List<QuestionAnswer> q = result.questions();

        assertThat(q.get(0).exactMatch()).isEqualTo(1.0);
        assertThat(q.get(0).citesGold()).isTrue();
        assertThat(q.get(0).citedPassagesWithAnswer()).isEqualTo(1);
        // [anvils, and, more]: vs alias [anvils] P 1/3, R 1 -> F1 0.5; vs [anvils, and, rockets] 2 shared,
        // P 2/3, R 2/3 -> F1 2/3, the max. EM 0; the alias is contained.
        assertThat(q.get(1).exactMatch()).isZero();
        assertThat(q.get(1).f1()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(q.get(1).contains()).isEqualTo(1.0);
        assertThat(q.get(1).citesGold()).isTrue();
        // The full passage text is checked, not the snippet: only about.md holds "anvils".
        assertThat(q.get(1).citedPassages()).isEqualTo(2);
        assertThat(q.get(1).citedPassagesWithAnswer()).isEqualTo(1);
        assertThat(q.get(1).danglingMarkers()).isEqualTo(1);
        // No reference: no rule-based scores; no citations: citesGold unknown.
        assertThat(q.get(2).f1()).isNull();
        assertThat(q.get(2).citesGold()).isNull();
        assertThat(q.get(3).error()).isEqualTo("model crashed");

        Summary s = result.summary();
        assertThat(s.questions()).isEqualTo(4);
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.withReference()).isEqualTo(2);
        assertThat(s.exactMatch()).isCloseTo(0.5, within(1e-9));
        assertThat(s.f1()).isCloseTo((1 + 2.0 / 3) / 2, within(1e-9));
        assertThat(s.contains()).isCloseTo(1.0, within(1e-9));
        assertThat(s.answersWithCitations()).isEqualTo(2);
        assertThat(s.citationGoldRate()).isCloseTo(1.0, within(1e-9));
        // 3 cited passages over the questions with references, 2 hold an answer.
        assertThat(s.citedPassagePrecision()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(s.danglingMarkers()).isEqualTo(1);
        assertThat(s.answersWithDanglingMarkers()).isEqualTo(1);
        assertThat(s.faithfulness()).isNull();
    }

    @Test
    void citingOnlyOtherDocumentsCountsAgainstTheGoldRate() {
        List<EvalQuestion> one = List.of(new EvalQuestion("q", "x?", List.of("about.md"), "1947", List.of()));
        Summary s = new AnswerEvaluator((question, c) -> answered("1947 [1]", 0, HISTORY), null)
                .evaluate(one, null).summary();
        assertThat(s.citationGoldRate()).isZero();
        assertThat(s.exactMatch()).isEqualTo(1.0);
    }

    @Test
    void theJudgeScoresEachAnswerAndKeepsItsRawOutput() {
        ScriptedTextGenerator model = new ScriptedTextGenerator(4096, "Verdict {\"score\": 4, \"reason\": \"ok\"}");
        AnswerEvaluator.Result result = new AnswerEvaluator(answers(), new AnswerJudge(model))
                .evaluate(QUESTIONS.subList(0, 3), null);
        QuestionAnswer first = result.questions().get(0);
        assertThat(first.faithfulness().score()).isEqualTo(4);
        assertThat(first.faithfulness().raw()).isEqualTo("Verdict {\"score\": 4, \"reason\": \"ok\"}");
        assertThat(first.relevance().score()).isEqualTo(4);
        // q3 cites nothing: faithfulness skipped, relevance judged -> 2 + 3 prompts.
        assertThat(result.questions().get(2).faithfulness().status()).isEqualTo("skipped");
        assertThat(model.prompts()).hasSize(5);
        assertThat(result.summary().faithfulness()).isEqualTo(new AnswerEvaluator.Judged(2, 4.0, 0, 1, 0));
        assertThat(result.summary().relevance()).isEqualTo(new AnswerEvaluator.Judged(3, 4.0, 0, 0, 0));
    }
}
