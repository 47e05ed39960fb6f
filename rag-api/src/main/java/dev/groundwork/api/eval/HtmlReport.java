package dev.groundwork.api.eval;

import dev.groundwork.api.eval.AnswerEvaluator.QuestionAnswer;
import dev.groundwork.api.eval.AnswerEvaluator.Summary;
import dev.groundwork.api.eval.RetrievalEvaluator.ModeResult;
import dev.groundwork.api.eval.RetrievalEvaluator.QuestionRetrieval;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Renders an {@link EvalReport} as one self-contained HTML page: the settings, a bar chart per retrieval metric
 * (one bar per mode), the answer metrics, and a per-question table with the worst cases first (lowest reciprocal
 * rank in the reference mode, then lowest F1, then id). Every text from the data is escaped. Stateless.
 */
public final class HtmlReport {

    /** The per-question table stops here so that a large run still gives a page a browser opens quickly. */
    static final int MAX_ROWS = 1000;

    private HtmlReport() {
    }

    public static String render(EvalReport report) {
        StringBuilder body = new StringBuilder();
        EvalReport.Settings s = report.settings();
        body.append("<table class=\"settings\">");
        row(body, "dataset", s.dataset());
        row(body, "collection", s.collection() == null ? "(all)" : s.collection());
        row(body, "questions", String.valueOf(s.questions()));
        row(body, "modes", String.join(", ", s.modes()));
        row(body, "answerer", s.answerer() == null ? "(answers not evaluated)" : s.answerer());
        row(body, "embedding model", s.embeddingModel());
        row(body, "judge", s.judgeModel() == null ? "(none)" : s.judgeModel());
        row(body, "date", s.date());
        body.append("</table>\n");

        List<ModeResult> modes = report.retrieval();
        if (!modes.isEmpty()) {
            body.append("<h2>Retrieval (document level, k = ").append(s.k()).append(")</h2><div class=\"charts\">");
            List<String> names = modes.stream().map(ModeResult::mode).toList();
            chart(body, "Recall@5", names, modes, ModeResult::recallAt5);
            chart(body, "Recall@10", names, modes, ModeResult::recallAt10);
            chart(body, "MRR@10", names, modes, ModeResult::mrrAt10);
            chart(body, "nDCG@10", names, modes, ModeResult::ndcgAt10);
            body.append("</div>\n<pre>").append(Html.escape(RetrievalEvaluator.table(modes))).append("</pre>\n");
        }
        if (report.answers() != null) {
            Summary a = report.answers().summary();
            body.append("<h2>Answers (").append(Html.escape(s.answerer())).append(")</h2><div class=\"charts\">");
            body.append(Html.barChart("Answer metrics",
                    List.of("exact match", "F1", "contains", "cites gold", "cited has answer"),
                    List.of(a.exactMatch(), a.f1(), a.contains(), a.citationGoldRate(), a.citedPassagePrecision()),
                    1));
            if (a.faithfulness() != null) {
                body.append(Html.barChart("Judge (mean 1-5)", List.of("faithfulness", "relevance"),
                        List.of(a.faithfulness().meanScore(),
                                a.relevance() == null ? 0 : a.relevance().meanScore()), 5));
            }
            body.append("</div>\n<pre>").append(Html.escape(EvalTables.answers(a))).append("</pre>\n");
        }
        questions(body, report);
        return Html.page("Groundwork evaluation", body.toString());
    }

    private static void chart(StringBuilder body, String title, List<String> names, List<ModeResult> modes,
            ToDoubleFunction<ModeResult> metric) {
        body.append(Html.barChart(title, names, modes.stream().map(m -> metric.applyAsDouble(m)).toList(), 1));
    }

    private static void questions(StringBuilder body, EvalReport report) {
        ModeResult reference = referenceMode(report.retrieval());
        Map<String, QuestionRetrieval> retrieval = new HashMap<>();
        List<String> ids = new ArrayList<>();
        if (reference != null) {
            reference.perQuestion().forEach(q -> {
                retrieval.put(q.id(), q);
                ids.add(q.id());
            });
        }
        Map<String, QuestionAnswer> answers = new HashMap<>();
        if (report.answers() != null) {
            report.answers().questions().forEach(q -> {
                answers.put(q.id(), q);
                if (!retrieval.containsKey(q.id())) {
                    ids.add(q.id());
                }
            });
        }
        ids.sort(Comparator.<String>comparingDouble(id -> retrieval.containsKey(id) ? retrieval.get(id).reciprocalRank() : 1)
                .thenComparingDouble(id -> answers.containsKey(id) && answers.get(id).f1() != null
                        ? answers.get(id).f1() : 1)
                .thenComparing(Comparator.naturalOrder()));
        body.append("<h2>Questions, worst first</h2><p class=\"small\">Sorted by reciprocal rank in mode <b>")
                .append(Html.escape(reference == null ? "-" : reference.mode()))
                .append("</b>, then answer F1. Rank 0: no gold document in the top 10.");
        if (ids.size() > MAX_ROWS) {
            body.append(" Showing the worst ").append(MAX_ROWS).append(" of ").append(ids.size()).append('.');
        }
        body.append("</p>\n<table><tr><th>id</th><th>question</th><th>gold rank</th><th>RR</th>"
                + "<th>answer</th><th>F1</th><th>contains</th><th>cites gold</th><th>faithful</th>"
                + "<th>relevant</th></tr>\n");
        for (String id : ids.subList(0, Math.min(MAX_ROWS, ids.size()))) {
            QuestionRetrieval r = retrieval.get(id);
            QuestionAnswer a = answers.get(id);
            body.append("<tr><td>").append(Html.escape(id)).append("</td><td>")
                    .append(Html.escape(a == null ? "" : a.question())).append("</td><td class=\"n\">")
                    .append(r == null ? "" : r.firstGoldRank()).append("</td><td class=\"n\">")
                    .append(r == null ? "" : Html.number(r.reciprocalRank())).append("</td><td>")
                    .append(Html.escape(a == null ? "" : a.error() != null ? "error: " + a.error() : a.answer()))
                    .append("</td><td class=\"n\">").append(a == null ? "" : Html.number(a.f1()))
                    .append("</td><td class=\"n\">").append(a == null ? "" : Html.number(a.contains()))
                    .append("</td><td>").append(a == null || a.citesGold() == null ? "" : a.citesGold())
                    .append("</td><td>").append(verdict(a == null ? null : a.faithfulness()))
                    .append("</td><td>").append(verdict(a == null ? null : a.relevance())).append("</td></tr>\n");
        }
        body.append("</table>\n");
    }

    /** The score with the judge's reason and raw output in a tooltip. */
    private static String verdict(JudgeVerdict v) {
        if (v == null) {
            return "";
        }
        String shown = v.score() == null ? v.status() : String.valueOf(v.score());
        String tip = v.reason() + (v.raw() == null ? "" : "\n---\n" + v.raw());
        return "<span title=\"" + Html.escape(tip) + "\">" + Html.escape(shown) + "</span>";
    }

    /** Hybrid when it was evaluated (what the service answers from), otherwise the first mode. */
    static ModeResult referenceMode(List<ModeResult> modes) {
        return modes.stream().filter(m -> m.mode().equals("hybrid")).findFirst()
                .orElse(modes.isEmpty() ? null : modes.get(0));
    }

    private static void row(StringBuilder body, String key, String value) {
        body.append("<tr><td>").append(Html.escape(key)).append("</td><td>").append(Html.escape(value))
                .append("</td></tr>");
    }
}
