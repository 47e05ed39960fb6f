package dev.groundwork.api.ask;

/**
 * Receives an answer's text as it is written, in order, on the answering thread. Markers in the pieces are the
 * answerer's raw ones: the final {@link Answer} may renumber them.
 */
@FunctionalInterface
public interface AnswerListener {

    /** Ignores the pieces and never cancels. */
    AnswerListener NONE = piece -> true;

    /**
     * @param piece the next piece of text (never {@code null}, may be empty)
     * @return {@code false} to stop: the answerer stops writing as soon as it can and returns what it has
     */
    boolean onText(String piece);
}
