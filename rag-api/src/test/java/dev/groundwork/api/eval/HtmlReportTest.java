package dev.groundwork.api.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.api.eval.AnswerEvaluator.QuestionAnswer;
import dev.groundwork.api.eval.RetrievalEvaluator.ModeResult;
import dev.groundwork.api.eval.RetrievalEvaluator.QuestionRetrieval;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    private static QuestionAnswer answer(String id, double f1) {
        return new QuestionAnswer(id, "question " + id, "answer " + id, null, List.of(), 1, 0.0, f1, 0.0, null, 0, 0,
                0, new JudgeVerdict(2, "says \"no\" <here>", "raw & more", "ok"), null);
    }

    @Test
    void listsTheWorstQuestionsFirstAndEscapesAllText() {
        // Hybrid ranks: q-good first, q-mid second, q-miss and q-miss2 not at all (ties broken by F1).
        ModeResult hybrid = new ModeResult("hybrid", 4, 0.75, 0.75, 0.375, 0.5, 1, 2, List.of(
                new QuestionRetrieval("q-good", 1, 1, 1, 1), new QuestionRetrieval("q-mid", 2, 1, 0.5, 0.63),
                new QuestionRetrieval("q-miss", 0, 0, 0, 0), new QuestionRetrieval("q-miss2", 0, 0, 0, 0)));
        ModeResult bm25 = new ModeResult("bm25", 4, 0, 0, 0, 0, 1, 2, List.of(
                new QuestionRetrieval("q-good", 0, 0, 0, 0)));
        List<QuestionAnswer> answers = List.of(answer("q-good", 0.1), answer("q-mid", 0.9), answer("q-miss", 0.8),
                answer("q-miss2", 0.2));
        EvalReport report = new EvalReport(new EvalReport.Settings("<data>.jsonl", "c&d", 4, 10,
                List.of("bm25", "hybrid"), "llm:m", 5, "e", "m", "2026-01-01T00:00:00Z"), List.of(bm25, hybrid),
                new AnswerEvaluator.Result(answers, AnswerEvaluator.summarise(answers)));

        String html = HtmlReport.render(report);

        int miss2 = html.indexOf("<td>q-miss2</td>");
        int miss = html.indexOf("<td>q-miss</td>");
        int mid = html.indexOf("<td>q-mid</td>");
        int good = html.indexOf("<td>q-good</td>");
        assertThat(miss2).isPositive().isLessThan(miss);
        assertThat(miss).isLessThan(mid);
        assertThat(mid).isLessThan(good);
        assertThat(html).contains("&lt;data&gt;.jsonl", "c&amp;d", "says &quot;no&quot; &lt;here&gt;", "raw &amp; more")
                .doesNotContain("<data>", "c&d<");
        // One chart per retrieval metric plus the answer chart; nothing is loaded from elsewhere.
        assertThat(html.split("<svg ", -1)).hasSize(7);
        assertThat(html).doesNotContain("<script", "src=", "href=", "@import");
    }

    @Test
    void escapesEveryMarkupCharacter() {
        assertThat(Html.escape("<a href='x'>\"&\"</a>"))
                .isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
        assertThat(Html.escape(null)).isEmpty();
    }
}
