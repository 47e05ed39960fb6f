package dev.groundwork.api.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rule-based scores of one answer against its reference answers, each the maximum over the references (the
 * reference answer and its aliases), as the SQuAD and CMRC scorers take it.
 *
 * @param exactMatch 1 when the answer's tokens equal a reference's tokens after {@link AnswerNormaliser}, else 0
 * @param f1 token-overlap F1 (bag of tokens; CJK characters are tokens); 0 when nothing overlaps
 * @param contains 1 when a normalised reference occurs, as a run of whole tokens, inside the normalised answer;
 *     the fair score for long extractive or generated answers, which rarely match a short span exactly
 */
public record AnswerMetrics(double exactMatch, double f1, double contains) {

    /**
     * @param answer the answer text (citation markers are ignored)
     * @param references the accepted answers; at least one
     */
    public static AnswerMetrics score(String answer, List<String> references) {
        if (references == null || references.isEmpty()) {
            throw new IllegalArgumentException("at least one reference answer is needed");
        }
        List<String> predicted = AnswerNormaliser.tokens(answer);
        double em = 0;
        double f1 = 0;
        double contains = 0;
        for (String reference : references) {
            List<String> gold = AnswerNormaliser.tokens(reference);
            em = Math.max(em, predicted.equals(gold) ? 1 : 0);
            f1 = Math.max(f1, f1(predicted, gold));
            contains = Math.max(contains, contains(predicted, gold) ? 1 : 0);
        }
        return new AnswerMetrics(em, f1, contains);
    }

    /** Token F1 of SQuAD v1.1: 0 when no token is shared (so also when either side is empty). */
    static double f1(List<String> predicted, List<String> gold) {
        Map<String, Integer> counts = new HashMap<>();
        gold.forEach(t -> counts.merge(t, 1, Integer::sum));
        int same = 0;
        for (String t : predicted) {
            Integer left = counts.get(t);
            if (left != null && left > 0) {
                counts.put(t, left - 1);
                same++;
            }
        }
        if (same == 0) {
            return 0;
        }
        double precision = (double) same / predicted.size();
        double recall = (double) same / gold.size();
        return 2 * precision * recall / (precision + recall);
    }

    /** Whether {@code gold} is a non-empty contiguous run of {@code text}'s tokens. */
    static boolean contains(List<String> text, List<String> gold) {
        return !gold.isEmpty() && Collections.indexOfSubList(text, gold) >= 0;
    }

    /** Whether a passage contains any reference answer, compared as {@link #contains} does. */
    public static boolean passageContains(String passage, List<String> references) {
        List<String> tokens = new ArrayList<>(AnswerNormaliser.tokens(passage));
        return references.stream().anyMatch(r -> contains(tokens, AnswerNormaliser.tokens(r)));
    }
}
