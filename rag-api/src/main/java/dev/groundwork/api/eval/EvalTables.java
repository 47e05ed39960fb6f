package dev.groundwork.api.eval;

import dev.groundwork.api.eval.AnswerEvaluator.Judged;
import dev.groundwork.api.eval.AnswerEvaluator.Summary;
import java.util.Locale;

/** Fixed-width terminal tables of answer metrics (retrieval has {@link RetrievalEvaluator#table}). Stateless. */
final class EvalTables {

    private EvalTables() {
    }

    static String answers(Summary a) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-28s %d (%d with a reference answer, %d failed)%n", "answers",
                a.questions(), a.withReference(), a.failed()));
        line(out, "exact match", a.exactMatch());
        line(out, "token F1", a.f1());
        line(out, "answer contains reference", a.contains());
        out.append(String.format(Locale.ROOT, "%-28s %.4f (of %d answers with citations)%n", "citations with gold doc",
                a.citationGoldRate(), a.answersWithCitations()));
        line(out, "cited passages with answer", a.citedPassagePrecision());
        out.append(String.format(Locale.ROOT, "%-28s %d (in %d answers)%n", "dangling markers", a.danglingMarkers(),
                a.answersWithDanglingMarkers()));
        out.append(String.format(Locale.ROOT, "%-28s p50 %.1f ms, p95 %.1f ms%n", "answer latency", a.latencyP50Ms(),
                a.latencyP95Ms()));
        judged(out, "judge: faithfulness", a.faithfulness());
        judged(out, "judge: relevance", a.relevance());
        return out.toString();
    }

    private static void line(StringBuilder out, String name, double value) {
        out.append(String.format(Locale.ROOT, "%-28s %.4f%n", name, value));
    }

    private static void judged(StringBuilder out, String name, Judged j) {
        if (j != null) {
            out.append(String.format(Locale.ROOT, "%-28s %.2f / 5 (%d scored, %d unparseable, %d skipped, %d errors)%n",
                    name, j.meanScore(), j.scored(), j.unparseable(), j.skipped(), j.errors()));
        }
    }
}
