package dev.groundwork.ingest.parse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Drops running headers, running footers and page numbers from a PDF's lines: they repeat on every page, would be
 * glued into paragraphs and chunks, and say nothing about the passage they land in.
 *
 * <ul>
 *   <li>A running header or footer is a line in the top or bottom eighth of its page whose text (digits ignored,
 *       so "Page 3 of 9" matches "Page 4 of 9") recurs at the same height, within {@value #SAME_PLACE_POINTS}
 *       points, on more than half of the pages, or on at least {@value #MIN_PAGES} pages while its number changes
 *       (a chapter's own running header with the page number, "Chapter 2: Setup 7"); and whose font is not
 *       heading-sized (a numbered chapter heading atop each page, "Chapter 3", also recurs with only its digits
 *       changed). This needs at least {@value #MIN_PAGES} pages: on fewer, a
 *       repeated line is as likely a repeated heading.
 *   <li>A page number is a line in the top or bottom eighth of its page that is only a number ("7", "- 7 -",
 *       "vii", "Page 7", "7 of 9", "7/9"), on any document.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class PdfRunningTextFilter {

    static final int MIN_PAGES = 3;
    static final float SAME_PLACE_POINTS = 6f;

    private static final Pattern PAGE_NUMBER = Pattern.compile(
            "(?i)(page|p\\.|pg\\.?|seite)?\\s*[-\u2013\u2014]?\\s*(\\d{1,4}|[ivxlc]{1,7})\\s*[-\u2013\u2014]?"
                    + "\\s*((of|/|von)\\s*\\d{1,4})?");

    /** The lines without running headers, footers and page numbers, in their order. */
    List<PdfLine> filter(List<PdfLine> lines, int pageCount) {
        float headingSize = PdfHeadingDetector.bodySize(lines) * PdfHeadingDetector.LARGER;
        Set<String> running = pageCount >= MIN_PAGES ? runningKeys(lines, pageCount, headingSize) : Set.of();
        List<PdfLine> kept = new ArrayList<>(lines.size());
        for (PdfLine line : lines) {
            boolean drop = line.inPageMargin()
                    && (PAGE_NUMBER.matcher(line.text()).matches() || running.contains(placeKey(line)));
            if (!drop) {
                kept.add(line);
            }
        }
        return kept;
    }

    /**
     * Keys of margin texts, smaller than headings, found at one place on more than half of the pages, or on at
     * least {@value #MIN_PAGES} pages with a number that changes (a chapter's running header with its page number).
     */
    private static Set<String> runningKeys(List<PdfLine> lines, int pageCount, float headingSize) {
        Map<String, Set<Integer>> pagesByKey = new HashMap<>();
        Map<String, Set<String>> textsByKey = new HashMap<>();
        for (PdfLine line : lines) {
            if (line.inPageMargin() && line.sizeBucket() < headingSize) {
                // Counted in the two neighbouring height bands, so that 100.2 and 99.9 still meet in one of them.
                for (String key : List.of(placeKey(line), shiftedPlaceKey(line))) {
                    pagesByKey.computeIfAbsent(key, k -> new HashSet<>()).add(line.page());
                    textsByKey.computeIfAbsent(key, k -> new HashSet<>()).add(line.text());
                }
            }
        }
        Set<String> running = new HashSet<>();
        for (PdfLine line : lines) {
            if (line.inPageMargin() && line.sizeBucket() < headingSize) {
                for (String key : List.of(placeKey(line), shiftedPlaceKey(line))) {
                    int pages = pagesByKey.get(key).size();
                    if (pages * 2 > pageCount || pages >= MIN_PAGES && textsByKey.get(key).size() > 1) {
                        running.add(placeKey(line));
                    }
                }
            }
        }
        return running;
    }

    private static String placeKey(PdfLine line) {
        return shape(line.text()) + "@" + (int) Math.floor(line.baseline() / SAME_PLACE_POINTS);
    }

    private static String shiftedPlaceKey(PdfLine line) {
        return shape(line.text()) + "@~" + (int) Math.floor(line.baseline() / SAME_PLACE_POINTS + 0.5f);
    }

    /** The text with digits and spacing made uniform: page counters differ from page to page. */
    private static String shape(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("\\d+", "#").replaceAll("\\s+", " ").strip();
    }
}
