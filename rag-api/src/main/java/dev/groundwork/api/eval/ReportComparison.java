package dev.groundwork.api.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two {@code report.json} files side by side: every aggregate metric of A and B with the difference B − A, as a
 * terminal table and as an HTML page. Reports are read as JSON trees, so a report written by an older version
 * with fewer metrics compares too (missing values show as blank). Stateless.
 */
public final class ReportComparison {

    /** One compared metric; {@code a} or {@code b} is {@code null} when that report lacks it. */
    public record Row(String group, String metric, Double a, Double b) {

        public Double difference() {
            return a == null || b == null ? null : b - a;
        }
    }

    private static final List<String> RETRIEVAL = List.of("recallAt5", "recallAt10", "mrrAt10", "ndcgAt10",
            "latencyP50Ms", "latencyP95Ms");
    private static final List<String> ANSWERS = List.of("exactMatch", "f1", "contains", "citationGoldRate",
            "citedPassagePrecision", "danglingMarkers", "latencyP50Ms", "latencyP95Ms", "faithfulness.meanScore",
            "relevance.meanScore");

    private ReportComparison() {
    }

    /** @throws IllegalArgumentException naming the file when it is not a readable report */
    public static JsonNode read(Path file) throws IOException {
        try {
            JsonNode root = JsonMapper.shared().readTree(file.toFile());
            if (root == null || !root.has("settings") || !root.has("retrieval")) {
                throw new IllegalArgumentException(file + ": not a report.json (no settings/retrieval)");
            }
            return root;
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static List<Row> rows(JsonNode a, JsonNode b) {
        List<Row> rows = new ArrayList<>();
        Set<String> modes = new LinkedHashSet<>();
        a.path("retrieval").forEach(m -> modes.add(m.path("mode").asString()));
        b.path("retrieval").forEach(m -> modes.add(m.path("mode").asString()));
        for (String mode : modes) {
            JsonNode ma = mode(a, mode);
            JsonNode mb = mode(b, mode);
            for (String metric : RETRIEVAL) {
                rows.add(new Row(mode, metric, value(ma, metric), value(mb, metric)));
            }
        }
        JsonNode aa = a.path("answers").path("summary");
        JsonNode ab = b.path("answers").path("summary");
        if (!aa.isMissingNode() || !ab.isMissingNode()) {
            for (String metric : ANSWERS) {
                rows.add(new Row("answers", metric, value(aa, metric), value(ab, metric)));
            }
        }
        return rows;
    }

    public static String table(JsonNode a, JsonNode b, String nameA, String nameB) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "A: %s%nB: %s%n", nameA, nameB));
        out.append(String.format(Locale.ROOT, "%-8s %-24s %10s %10s %10s%n", "group", "metric", "A", "B", "B-A"));
        for (Row r : rows(a, b)) {
            out.append(String.format(Locale.ROOT, "%-8s %-24s %10s %10s %10s%n", r.group(), r.metric(),
                    format(r.a()), format(r.b()), r.difference() == null ? "" : signed(r.difference())));
        }
        return out.toString();
    }

    public static String html(JsonNode a, JsonNode b, String nameA, String nameB) {
        StringBuilder body = new StringBuilder("<table class=\"settings\"><tr><td>A</td><td>")
                .append(Html.escape(nameA)).append(" (").append(Html.escape(a.path("settings").path("date").asString("")))
                .append(")</td></tr><tr><td>B</td><td>").append(Html.escape(nameB)).append(" (")
                .append(Html.escape(b.path("settings").path("date").asString(""))).append(")</td></tr></table>\n");
        body.append("<table><tr><th>group</th><th>metric</th><th>A</th><th>B</th><th>B − A</th></tr>\n");
        for (Row r : rows(a, b)) {
            Double d = r.difference();
            // Higher is better except for latency and dangling markers.
            boolean lowerBetter = r.metric().startsWith("latency") || r.metric().equals("danglingMarkers");
            String cls = d == null || d == 0 ? "" : (d > 0) != lowerBetter ? "up" : "down";
            body.append("<tr><td>").append(Html.escape(r.group())).append("</td><td>").append(Html.escape(r.metric()))
                    .append("</td><td class=\"n\">").append(format(r.a())).append("</td><td class=\"n\">")
                    .append(format(r.b())).append("</td><td class=\"n ").append(cls).append("\">")
                    .append(d == null ? "" : signed(d)).append("</td></tr>\n");
        }
        body.append("</table>\n");
        return Html.page("Groundwork evaluation: comparison", body.toString());
    }

    private static JsonNode mode(JsonNode report, String mode) {
        for (JsonNode m : report.path("retrieval")) {
            if (m.path("mode").asString().equals(mode)) {
                return m;
            }
        }
        return null;
    }

    private static Double value(JsonNode node, String dottedPath) {
        if (node == null) {
            return null;
        }
        JsonNode v = node;
        for (String part : dottedPath.split("\\.")) {
            v = v.path(part);
        }
        return v.isNumber() ? v.asDouble() : null;
    }

    private static String format(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.4f", v);
    }
}
