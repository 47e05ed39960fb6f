package dev.groundwork.api.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * SQuAD answer normalisation and tokenisation, extended to Chinese the way the CMRC 2018 scorer does it.
 *
 * <p>{@link #normalise} follows the official SQuAD v1.1 script: lowercase, remove punctuation (ASCII punctuation
 * plus any Unicode punctuation, so that Chinese {@code 。，「」} go too), remove the articles a/an/the, collapse
 * whitespace. {@link #tokens} then splits on whitespace and, inside a word, makes every CJK character (Han, kana,
 * Hangul) a token of its own while runs of other characters stay whole words, so "2018年5月" is
 * {@code [2018, 年, 5, 月]}. Citation markers {@code [n]} are removed first: they are not part of the answer.
 * Stateless and thread-safe.
 */
public final class AnswerNormaliser {

    private static final Pattern MARKER = Pattern.compile("\\[\\d+]");
    private static final Pattern PUNCTUATION = Pattern.compile("[\\p{Punct}\\p{IsPunctuation}]");
    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private AnswerNormaliser() {
    }

    /** The SQuAD-normalised text; never {@code null} (a {@code null} input gives the empty string). */
    public static String normalise(String text) {
        if (text == null) {
            return "";
        }
        String s = MARKER.matcher(text).replaceAll(" ").toLowerCase(java.util.Locale.ROOT);
        s = PUNCTUATION.matcher(s).replaceAll("");
        s = ARTICLES.matcher(s).replaceAll(" ");
        return SPACES.matcher(s).replaceAll(" ").strip();
    }

    /** Tokens of the normalised text: whitespace-separated words, CJK characters one by one. */
    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        String normalised = normalise(text);
        if (normalised.isEmpty()) {
            return out;
        }
        for (String word : normalised.split(" ")) {
            StringBuilder run = new StringBuilder();
            word.codePoints().forEach(cp -> {
                if (isCjk(cp)) {
                    if (!run.isEmpty()) {
                        out.add(run.toString());
                        run.setLength(0);
                    }
                    out.add(new String(Character.toChars(cp)));
                } else {
                    run.appendCodePoint(cp);
                }
            });
            if (!run.isEmpty()) {
                out.add(run.toString());
            }
        }
        return out;
    }

    static boolean isCjk(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
    }
}
