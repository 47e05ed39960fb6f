package dev.groundwork.api.ask;

import java.util.List;

/**
 * An answer with the citations its {@code [n]} markers point to.
 *
 * @param text the answer; each claim is followed by a marker {@code [n]} where {@code n} is a citation id
 * @param citations the cited passages, ids 1..m in order of first use; empty when nothing could be answered
 * @param answerer name of the {@link Answerer} that wrote it
 * @param danglingMarkers markers the answerer wrote that pointed to no passage (removed from {@code text})
 * @param context how the retrieved passages fitted the model's prompt, or {@code null} for answerers without one
 */
public record Answer(String text, List<Citation> citations, String answerer, int danglingMarkers,
        AnswerContext context) {

    public Answer {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("answer text must not be blank");
        }
        if (answerer == null || answerer.isBlank()) {
            throw new IllegalArgumentException("answerer must not be blank");
        }
        if (danglingMarkers < 0) {
            throw new IllegalArgumentException("danglingMarkers must be >= 0, was " + danglingMarkers);
        }
        citations = List.copyOf(citations);
        for (int i = 0; i < citations.size(); i++) {
            if (citations.get(i).id() != i + 1) {
                throw new IllegalArgumentException("citation ids must be 1.." + citations.size() + " in order, found "
                        + citations.get(i).id() + " at position " + (i + 1));
            }
        }
    }

    /** An answer without dangling markers or prompt context (the extractive answerer's kind). */
    public Answer(String text, List<Citation> citations, String answerer) {
        this(text, citations, answerer, 0, null);
    }
}
