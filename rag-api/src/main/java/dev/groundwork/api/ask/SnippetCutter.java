package dev.groundwork.api.ask;

/**
 * Cuts a readable window of at most {@value #MAX_CHARS} characters from a passage around a cited span, on word
 * boundaries, marking cut ends with an ellipsis. Thread-safe and stateless.
 */
final class SnippetCutter {

    static final int MAX_CHARS = 300;
    private static final String ELLIPSIS = "…";

    /** The text of {@code [start, end)} with as much surrounding context as fits, whitespace collapsed. */
    String around(String passage, int start, int end) {
        String whole = collapse(passage);
        if (whole.length() <= MAX_CHARS) {
            return whole;
        }
        int length = end - start;
        if (length >= MAX_CHARS) {
            return cut(collapse(passage.substring(start, end)), MAX_CHARS);
        }
        int from = Math.max(0, start - (MAX_CHARS - length) / 2);
        int to = Math.min(passage.length(), from + MAX_CHARS);
        from = Math.max(0, to - MAX_CHARS);
        if (from > 0) {
            int space = indexOfWhitespace(passage, from, start);
            from = space < 0 ? from : space + 1;
        }
        if (to < passage.length()) {
            int space = lastIndexOfWhitespace(passage, end, to);
            to = space < 0 ? to : space;
        }
        return (from > 0 ? ELLIPSIS : "") + collapse(passage.substring(from, to))
                + (to < passage.length() ? ELLIPSIS : "");
    }

    /** {@code text} shortened to at most {@code max} characters at a word boundary, with an ellipsis if cut. */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int space = text.lastIndexOf(' ', max - 1);
        return text.substring(0, space > max / 2 ? space : max - 1) + ELLIPSIS;
    }

    /** Runs of whitespace (newlines of PDF lines, indentation) become one space; ends trimmed. */
    static String collapse(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static int indexOfWhitespace(String s, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOfWhitespace(String s, int limit, int to) {
        for (int i = to - 1; i >= limit; i--) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
