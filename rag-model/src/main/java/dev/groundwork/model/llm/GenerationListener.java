package dev.groundwork.model.llm;

/**
 * Receives text as it is generated. Called on the generating thread, in order. Text pieces never split a
 * multi-byte character.
 */
public interface GenerationListener {

    GenerationListener NONE = piece -> true;

    /**
     * @param piece newly decoded text (may be empty when a token completes no character yet)
     * @return {@code false} to cancel generation; it then stops before the next token
     */
    boolean onText(String piece);
}
