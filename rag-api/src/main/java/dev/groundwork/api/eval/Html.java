package dev.groundwork.api.eval;

import java.util.List;
import java.util.Locale;

/**
 * The pieces the HTML reports are built from: escaping, a page shell with inline CSS and horizontal bar charts as
 * inline SVG. Nothing is loaded from elsewhere, because the product runs offline. Stateless.
 */
final class Html {

    private static final String CSS = """
            body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
            h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em}
            table{border-collapse:collapse;font-size:.9em;margin:.5em 0}
            th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            .up{color:#1a7f37}.down{color:#c62828}.charts{display:flex;flex-wrap:wrap;gap:1em}
            .settings td:first-child{font-weight:bold}.small{color:#666;font-size:.85em}
            """;

    private static final int WIDTH = 360;
    private static final int LABEL = 110;
    private static final int ROW = 22;

    private Html() {
    }

    /** Escapes text for element content and quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title><style>" + CSS + "</style></head><body><h1>" + escape(title) + "</h1>\n" + body
                + "</body></html>\n";
    }

    /**
     * A horizontal bar chart.
     *
     * @param values one value per label; bars are scaled to {@code max}
     */
    static String barChart(String title, List<String> labels, List<Double> values, double max) {
        int height = ROW * labels.size() + 30;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">",
                WIDTH, height, escape(title)));
        svg.append("<text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"bold\">").append(escape(title))
                .append("</text>");
        int barSpace = WIDTH - LABEL - 60;
        for (int i = 0; i < labels.size(); i++) {
            double v = values.get(i) == null || values.get(i).isNaN() ? 0 : values.get(i);
            int y = 24 + i * ROW;
            int w = max <= 0 ? 0 : (int) Math.round(Math.max(0, Math.min(1, v / max)) * barSpace);
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"0\" y=\"%d\" font-size=\"12\">%s</text>"
                            + "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                            + "<text x=\"%d\" y=\"%d\" font-size=\"12\">%.3f</text>",
                    y + 13, escape(labels.get(i)), LABEL, y + 2, w, ROW - 6, COLOURS[i % COLOURS.length],
                    LABEL + w + 4, y + 13, v));
        }
        return svg.append("</svg>").toString();
    }

    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"};

    static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.3f", value);
    }
}
