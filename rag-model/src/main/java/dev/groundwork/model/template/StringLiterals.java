package dev.groundwork.model.template;

/** Where a Jinja string literal ends, for the scanners that rewrite template source before Jinjava parses it. */
final class StringLiterals {

    private StringLiterals() {
    }

    /** Whether {@code c} opens a string literal in a Jinja expression. */
    static boolean opens(char c) {
        return c == '\'' || c == '"';
    }

    /**
     * Index of the quote that closes the literal opened at {@code open} (backslash escapes skipped), or
     * {@code limit} when it is not closed before {@code limit}.
     */
    static int end(CharSequence s, int open, int limit) {
        char quote = s.charAt(open);
        for (int i = open + 1; i < limit; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return limit;
    }
}
