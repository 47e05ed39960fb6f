package dev.groundwork.ingest.chunk;

import dev.groundwork.model.tokenize.TokenCounter;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts the text of a body block into {@link TextUnit units} of at most {@code maxTokens} tokens each: whole
 * sentences ({@link BreakIterator#getSentenceInstance(Locale)} with {@link Locale#ROOT}, which also ends
 * sentences at CJK {@code 。！？}); a sentence over the budget is cut at whitespace between words, and a word
 * over the budget (a long URL, a CJK run without spaces) at characters. Every unit is counted once.
 *
 * <p>Thread-safe: each call makes its own break iterators.
 */
final class SentenceSplitter {

    private final TokenCounter tokens;
    private final int maxTokens;

    SentenceSplitter(TokenCounter tokens, int maxTokens) {
        this.tokens = tokens;
        this.maxTokens = maxTokens;
    }

    /** Units of {@code text[start, end)}, in order, trimmed, each within the budget by its own count. */
    List<TextUnit> split(String text, int start, int end, Integer page) {
        List<TextUnit> units = new ArrayList<>();
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(text.substring(start, end));
        int from = sentences.first();
        for (int to = sentences.next(); to != BreakIterator.DONE; from = to, to = sentences.next()) {
            int[] span = trim(text, start + from, start + to);
            if (span[0] == span[1]) {
                continue;
            }
            int count = tokens.countTokens(text.substring(span[0], span[1]));
            if (count <= maxTokens) {
                units.add(new TextUnit(span[0], span[1], count, page));
            } else {
                splitLongSentence(text, span[0], span[1], page, units);
            }
        }
        return units;
    }

    /** Packs words greedily by their summed counts, checking each piece's real count and shrinking if over. */
    private void splitLongSentence(String text, int start, int end, Integer page, List<TextUnit> units) {
        // Words are runs between whitespace: BreakIterator's word instance would also part "end" from ".".
        List<int[]> words = new ArrayList<>();
        int from = start;
        while (from < end) {
            int to = from;
            while (to < end && !Character.isWhitespace(text.charAt(to))) {
                to++;
            }
            words.add(new int[] {from, to, tokens.countTokens(text.substring(from, to))});
            from = to;
            while (from < end && Character.isWhitespace(text.charAt(from))) {
                from++;
            }
        }
        int i = 0;
        while (i < words.size()) {
            int[] first = words.get(i);
            if (first[2] > maxTokens) {
                splitAtCharacters(text, first[0], first[1], page, units);
                i++;
                continue;
            }
            int j = i;
            int sum = 0;
            while (j < words.size() && words.get(j)[2] <= maxTokens && sum + words.get(j)[2] <= maxTokens) {
                sum += words.get(j)[2];
                j++;
            }
            // Counts of the joined words can exceed their sum (subword merges); shrink until the piece fits.
            int count = tokens.countTokens(text.substring(first[0], words.get(j - 1)[1]));
            while (count > maxTokens && j - 1 > i) {
                j--;
                count = tokens.countTokens(text.substring(first[0], words.get(j - 1)[1]));
            }
            if (count > maxTokens) {
                splitAtCharacters(text, first[0], first[1], page, units);
            } else {
                units.add(new TextUnit(first[0], words.get(j - 1)[1], count, page));
            }
            i = j;
        }
    }

    /** Longest prefixes that fit, found by binary search over code point boundaries (O(log n) counts a piece). */
    private void splitAtCharacters(String text, int start, int end, Integer page, List<TextUnit> units) {
        int from = start;
        while (from < end) {
            // At least one code point per piece, so that the loop always advances.
            int best = text.offsetByCodePoints(from, 1);
            int low = best + 1;
            int high = end;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                int probe = mid < end && Character.isLowSurrogate(text.charAt(mid))
                        && Character.isHighSurrogate(text.charAt(mid - 1)) ? mid - 1 : mid;
                if (tokens.countTokens(text.substring(from, probe)) <= maxTokens) {
                    best = Math.max(best, probe);
                    low = mid + 1;
                } else {
                    high = mid - 1;
                }
            }
            int[] span = trim(text, from, best);
            if (span[0] < span[1]) {
                units.add(new TextUnit(span[0], span[1], tokens.countTokens(text.substring(span[0], span[1])), page));
            }
            from = best;
            while (from < end && Character.isWhitespace(text.charAt(from))) {
                from++;
            }
        }
    }

    private static int[] trim(String text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return new int[] {start, end};
    }
}
