package dev.groundwork.ingest.parse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Finds the headings of a PDF from font statistics, as PDF-to-structure tools do, since PDFs rarely carry tags.
 *
 * <ul>
 *   <li>The body size is the font size most letters have; the leading is the smallest common baseline
 *       distance between consecutive body lines.
 *   <li>A line is a heading candidate when its size is at least {@value #LARGER} times the body size, or when
 *       it is bold at body size (unless most body text is bold). Consecutive candidates of one style on one page,
 *       at most {@value #JOIN_GAP} sizes apart, form one heading of at most {@value #MAX_LARGE_LINES} lines
 *       ({@value #MAX_BOLD_LINES} for bold body-size ones).
 *   <li>A candidate is a heading only if it looks like one: it has letters, does not end like a sentence or
 *       clause ({@code . ! ; ,}), has at most {@value #MAX_LARGE_WORDS} words ({@value #MAX_BOLD_WORDS} when
 *       bold at body size), is not only a number, and is not a table-of-contents entry (dot leaders and a page
 *       number). A bold body-size candidate must also stand alone: not
 *       continue a paragraph whose last line has no closing punctuation at normal line spacing, and not be
 *       continued by a line starting in lower case.
 *   <li>Levels: the distinct heading styles (size, then bold before regular) ranked largest first are levels
 *       1, 2, ...; bold at body size is therefore the lowest level. Levels past 6 are 6.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class PdfHeadingDetector {

    static final float LARGER = 1.15f;
    static final float SAME_SIZE = 0.95f;
    static final float JOIN_GAP = 2.0f;
    static final int MAX_LARGE_LINES = 3;
    static final int MAX_BOLD_LINES = 2;
    static final int MAX_LARGE_WORDS = 20;
    static final int MAX_BOLD_WORDS = 12;
    /** A gap up to this many leadings is ordinary line spacing within a paragraph. */
    static final float TIGHT = 1.3f;

    private static final Pattern CLAUSE_END = Pattern.compile(".*[.!;,]$");
    private static final Pattern HAS_LETTER = Pattern.compile(".*\\p{L}.*");
    /** A table-of-contents entry: dot leaders, then a page number. */
    private static final Pattern CONTENTS_ENTRY = Pattern.compile(".*(\\.\\s?){4,}\\s*\\S{1,6}$");
    private static final Pattern NUMBER_ONLY = Pattern.compile("[\\d\\s.,/()\\-\u2013]+");
    private static final Pattern OPEN_END = Pattern.compile(".*[^.!?:;\"\u201d')\\]]$");

    /** One heading: lines {@code [first, end)} of the analysed list, at {@code level}. */
    record Heading(int first, int end, int level) {
    }

    /** The analysis: body size and leading, and the headings in line order. */
    record Layout(float bodySize, float leading, List<Heading> headings) {
    }

    Layout analyse(List<PdfLine> lines) {
        float body = bodySize(lines);
        float leading = leading(lines, body);
        boolean boldBodyText = boldShareAtSize(lines, body) > 0.5f;
        List<int[]> groups = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            PdfLine line = lines.get(i);
            Kind kind = kind(line, body, boldBodyText);
            if (kind == Kind.BODY) {
                i++;
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && sameStyle(lines.get(end - 1), lines.get(end))
                    && gap(lines.get(end - 1), lines.get(end)) > 0
                    && gap(lines.get(end - 1), lines.get(end)) <= JOIN_GAP * line.fontSize()) {
                end++;
            }
            if (looksLikeHeading(lines, i, end, kind, leading)) {
                groups.add(new int[] {i, end});
            }
            i = end;
        }
        Map<String, Integer> levels = levels(lines, groups);
        List<Heading> headings = new ArrayList<>(groups.size());
        for (int[] group : groups) {
            headings.add(new Heading(group[0], group[1], levels.get(style(lines.get(group[0])))));
        }
        return new Layout(body, leading, List.copyOf(headings));
    }

    private enum Kind { BODY, LARGER, BOLD }

    private static Kind kind(PdfLine line, float body, boolean boldBodyText) {
        float ratio = line.sizeBucket() / body;
        if (ratio >= LARGER) {
            return Kind.LARGER;
        }
        return line.bold() && ratio >= SAME_SIZE && !boldBodyText ? Kind.BOLD : Kind.BODY;
    }

    private static boolean looksLikeHeading(List<PdfLine> lines, int first, int end, Kind kind, float leading) {
        int lineCount = end - first;
        StringBuilder joined = new StringBuilder();
        for (int i = first; i < end; i++) {
            joined.append(i > first ? " " : "").append(lines.get(i).text());
        }
        String text = joined.toString().strip();
        int words = text.split("\\s+").length;
        boolean large = kind == Kind.LARGER;
        if (lineCount > (large ? MAX_LARGE_LINES : MAX_BOLD_LINES) || words > (large ? MAX_LARGE_WORDS : MAX_BOLD_WORDS)
                || !HAS_LETTER.matcher(text).matches() || CLAUSE_END.matcher(text).matches()
                || NUMBER_ONLY.matcher(text).matches() || CONTENTS_ENTRY.matcher(text).matches()) {
            return false;
        }
        if (large) {
            return true;
        }
        PdfLine head = lines.get(first);
        if (first > 0) {
            PdfLine before = lines.get(first - 1);
            if (before.page() == head.page() && gap(before, head) > 0 && gap(before, head) <= TIGHT * leading
                    && OPEN_END.matcher(before.text()).matches()) {
                return false;
            }
        }
        if (end < lines.size()) {
            PdfLine tail = lines.get(end - 1);
            PdfLine after = lines.get(end);
            return !(after.page() == tail.page() && gap(tail, after) > 0 && gap(tail, after) <= TIGHT * leading
                    && Character.isLowerCase(after.text().codePointAt(0)));
        }
        return true;
    }

    /** Heading styles ranked: larger first, bold before regular at one size. */
    private static Map<String, Integer> levels(List<PdfLine> lines, List<int[]> groups) {
        TreeSet<PdfLine> styles = new TreeSet<>(Comparator.comparing(PdfLine::sizeBucket).reversed()
                .thenComparing(PdfLine::bold, Comparator.reverseOrder()));
        for (int[] group : groups) {
            styles.add(lines.get(group[0]));
        }
        Map<String, Integer> levels = new HashMap<>();
        int level = 1;
        for (PdfLine style : styles) {
            levels.put(style(style), Math.min(level++, 6));
        }
        return levels;
    }

    private static String style(PdfLine line) {
        return line.sizeBucket() + (line.bold() ? "b" : "r");
    }

    private static boolean sameStyle(PdfLine a, PdfLine b) {
        return a.page() == b.page() && a.sizeBucket() == b.sizeBucket() && a.bold() == b.bold();
    }

    /** Baseline distance from {@code a} down to {@code b}; not positive when {@code b} is not below {@code a}. */
    static float gap(PdfLine a, PdfLine b) {
        return a.page() == b.page() ? b.baseline() - a.baseline() : -1;
    }

    /** The size most letters are set in; on a tie the smaller size. */
    static float bodySize(List<PdfLine> lines) {
        Map<Float, Integer> letters = new HashMap<>();
        for (PdfLine line : lines) {
            letters.merge(line.sizeBucket(), line.letters(), Integer::sum);
        }
        return letters.entrySet().stream()
                .max(Map.Entry.<Float, Integer>comparingByValue()
                        .thenComparing(Map.Entry.<Float, Integer>comparingByKey().reversed()))
                .map(Map.Entry::getKey).orElse(12f);
    }

    /**
     * The line spacing of body text: the smallest baseline distance between consecutive body-size lines that is
     * at least a quarter as common as the most common one. Paragraph gaps can outnumber line gaps in a short
     * document of one- and two-line paragraphs, so the plain mode would take a paragraph gap for the leading.
     * Distances under 0.9 sizes (overlapping lines) or over 3 sizes are ignored; 1.2 sizes when none is left.
     */
    private static float leading(List<PdfLine> lines, float body) {
        TreeMap<Float, Integer> counts = new TreeMap<>();
        for (int i = 1; i < lines.size(); i++) {
            PdfLine a = lines.get(i - 1);
            PdfLine b = lines.get(i);
            float gap = gap(a, b);
            if (a.sizeBucket() == body && b.sizeBucket() == body && gap >= 0.9f * body && gap <= 3 * body) {
                counts.merge(Math.round(gap * 2) / 2f, 1, Integer::sum);
            }
        }
        int most = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        for (Map.Entry<Float, Integer> entry : counts.entrySet()) {
            if (entry.getValue() * 4 >= most) {
                return entry.getKey();
            }
        }
        return body * 1.2f;
    }

    private static float boldShareAtSize(List<PdfLine> lines, float size) {
        long all = 0;
        long bold = 0;
        for (PdfLine line : lines) {
            if (line.sizeBucket() == size) {
                all += line.letters();
                bold += line.bold() ? line.letters() : 0;
            }
        }
        return all == 0 ? 0 : (float) bold / all;
    }
}
