package dev.groundwork.api.ask;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns text into comparable terms for sentence matching: NFKC, lower case, words of letters and digits, English
 * stop words dropped, a light suffix stemmer (so that "founded" meets "founding"), and overlapping character
 * bigrams for Han, Kana and Hangul runs, which are written without spaces (hiragana-only bigrams dropped). Deliberately small: it only has to
 * rank a few dozen sentences that retrieval already found relevant. Thread-safe and stateless.
 */
final class TermNormaliser {

    // Function words and question words: they say nothing about which sentence holds the answer.
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before",
            "being", "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "had", "has", "have",
            "having", "he", "her", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me",
            "my", "no", "not", "of", "on", "or", "our", "she", "should", "so", "some", "than", "that", "the",
            "their", "them", "then", "there", "these", "they", "this", "those", "to", "us", "was", "we", "were",
            "what", "when", "where", "which", "while", "who", "whom", "whose", "why", "will", "with", "would",
            "you", "your", "tell", "please", "much", "many");

    /** The terms of {@code text} in order of appearance, repeats kept. */
    List<String> terms(String text) {
        String normalised = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        List<String> terms = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        StringBuilder cjk = new StringBuilder();
        for (int i = 0; i < normalised.length(); ) {
            int cp = normalised.codePointAt(i);
            i += Character.charCount(cp);
            if (isCjk(cp)) {
                flushWord(word, terms);
                cjk.appendCodePoint(cp);
            } else if (Character.isLetterOrDigit(cp)) {
                flushCjk(cjk, terms);
                word.appendCodePoint(cp);
            } else {
                flushWord(word, terms);
                flushCjk(cjk, terms);
            }
        }
        flushWord(word, terms);
        flushCjk(cjk, terms);
        return terms;
    }

    private static void flushWord(StringBuilder word, List<String> terms) {
        if (!word.isEmpty()) {
            String w = word.toString();
            if (!STOP_WORDS.contains(w)) {
                terms.add(stem(w));
            }
            word.setLength(0);
        }
    }

    // Bigrams of hiragana alone are particles and inflections (は, いつ, られ): the CJK counterpart of stop words.
    private static void flushCjk(StringBuilder run, List<String> terms) {
        int[] cps = run.codePoints().toArray();
        if (cps.length == 1 && !isHiragana(cps[0])) {
            terms.add(new String(cps, 0, 1));
        }
        for (int i = 0; i + 1 < cps.length; i++) {
            if (!(isHiragana(cps[i]) && isHiragana(cps[i + 1]))) {
                terms.add(new String(cps, i, 2));
            }
        }
        run.setLength(0);
    }

    private static boolean isHiragana(int cp) {
        return Character.UnicodeScript.of(cp) == Character.UnicodeScript.HIRAGANA;
    }

    /** A few suffix rules in the spirit of the S-stemmer; wrong stems are harmless when both sides share them. */
    static String stem(String w) {
        if (w.length() > 4 && w.endsWith("ies")) {
            return w.substring(0, w.length() - 3) + "y";
        }
        if (w.length() > 5 && w.endsWith("ing")) {
            return w.substring(0, w.length() - 3);
        }
        if (w.length() > 4 && w.endsWith("ed") && !w.endsWith("eed")) {
            return w.substring(0, w.length() - 2);
        }
        if (w.endsWith("sses")) {
            return w.substring(0, w.length() - 2);
        }
        if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }

    private static boolean isCjk(int cp) {
        // The prolonged sound mark and the iteration mark belong to no script but only occur inside CJK words.
        if (cp == 0x30FC || cp == 0x3005) {
            return true;
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
    }
}
