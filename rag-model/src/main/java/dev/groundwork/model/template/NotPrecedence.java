package dev.groundwork.model.template;

/**
 * Gives {@code not} Jinja2's precedence by parenthesizing its operand before Jinjava parses the template.
 *
 * <p>In Jinja2, {@code not} binds more loosely than comparisons and tests: {@code not tools is defined} means
 * {@code not (tools is defined)} and {@code not m.role == 'user'} means {@code not (m.role == 'user')}. Jinjava's
 * expression language applies {@code not} to the next operand only ({@code (not tools) is defined}, always true),
 * which made Llama 3.x templates ignore {@code date_string}, {@code tools} and {@code tools_in_user_message}. So in
 * every {@code {{ }}} and {@code {% %}} tag, each prefix {@code not} (not {@code is not}, not {@code not in}) gets
 * its operand wrapped up to where Jinja2 ends it: the next {@code and}, {@code or}, {@code if} or {@code else} at the
 * same bracket depth, a comma, a closing bracket, or the end of the tag. Text outside tags, string literals and
 * comments are left as they are.
 */
final class NotPrecedence {

    private NotPrecedence() {
    }

    static String apply(String source) {
        StringBuilder out = new StringBuilder(source.length() + 32);
        int i = 0;
        while (i < source.length()) {
            int open = nextTag(source, i);
            if (open < 0) {
                out.append(source, i, source.length());
                break;
            }
            out.append(source, i, open + 2);
            char kind = source.charAt(open + 1);
            if (kind == '#') {
                int end = source.indexOf("#}", open + 2);
                int stop = end < 0 ? source.length() : end + 2;
                out.append(source, open + 2, stop);
                i = stop;
                continue;
            }
            int close = tagEnd(source, open + 2, kind == '{' ? "}}" : "%}");
            if (close < 0) {
                out.append(source, open + 2, source.length()); // unterminated: leave it for the parser to report
                break;
            }
            out.append(rewrite(source.substring(open + 2, close)));
            i = close;
        }
        return out.toString();
    }

    private static int nextTag(String s, int from) {
        for (int i = s.indexOf('{', from); i >= 0 && i + 1 < s.length(); i = s.indexOf('{', i + 1)) {
            char c = s.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    /** Index of the closing delimiter of a tag, skipping string literals. */
    private static int tagEnd(String s, int from, String closing) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (StringLiterals.opens(c)) {
                i = StringLiterals.end(s, i, s.length());
            } else if (s.startsWith(closing, i)) {
                return i;
            }
        }
        return -1;
    }

    /** Parenthesizes the operand of each prefix {@code not} in one tag's body. */
    static String rewrite(String body) {
        StringBuilder s = new StringBuilder(body);
        int limit = trailingControl(s);
        String previousWord = "";
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (StringLiterals.opens(c)) {
                i = StringLiterals.end(s, i, limit);
                previousWord = "";
                continue;
            }
            if (!Character.isJavaIdentifierStart(c) || (i > 0 && isWordChar(s.charAt(i - 1)))) {
                if (!Character.isWhitespace(c)) {
                    previousWord = "";
                }
                continue;
            }
            int wordEnd = i;
            while (wordEnd < limit && isWordChar(s.charAt(wordEnd))) {
                wordEnd++;
            }
            String word = s.substring(i, wordEnd);
            if (word.equals("not") && !previousWord.equals("is") && !nextWord(s, wordEnd, limit).equals("in")) {
                int end = operandEnd(s, wordEnd, limit);
                s.insert(end, ')');
                s.insert(wordEnd, " (");
                limit += 3;
            }
            previousWord = word;
            i = wordEnd - 1;
        }
        return s.toString();
    }

    /** Where the tag's content ends: before a trailing whitespace-control sign and the spaces before it. */
    private static int trailingControl(CharSequence s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        if (end > 0 && (s.charAt(end - 1) == '-' || s.charAt(end - 1) == '+')) {
            end--;
        }
        return end;
    }

    private static String nextWord(CharSequence s, int from, int limit) {
        int i = from;
        while (i < limit && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        int start = i;
        while (i < limit && isWordChar(s.charAt(i))) {
            i++;
        }
        return s.subSequence(start, i).toString();
    }

    /** End of {@code not}'s operand: before the spaces that precede the token ending it. */
    private static int operandEnd(CharSequence s, int from, int limit) {
        int depth = 0;
        int i = from;
        for (; i < limit; i++) {
            char c = s.charAt(i);
            if (StringLiterals.opens(c)) {
                i = StringLiterals.end(s, i, limit);
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (--depth < 0) {
                    break;
                }
            } else if (depth == 0 && c == ',') {
                break;
            } else if (depth == 0 && Character.isJavaIdentifierStart(c) && !isWordChar(s.charAt(i - 1))) {
                String word = nextWord(s, i, limit);
                if (word.equals("and") || word.equals("or") || word.equals("if") || word.equals("else")) {
                    break;
                }
                i += word.length() - 1;
            }
        }
        i = Math.min(i, limit); // an unclosed literal runs to the limit
        while (i > from && Character.isWhitespace(s.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    private static boolean isWordChar(char c) {
        return Character.isJavaIdentifierPart(c);
    }
}
