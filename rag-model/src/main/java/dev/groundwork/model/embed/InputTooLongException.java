package dev.groundwork.model.embed;

/** Thrown when a text exceeds a model's input window; the message names the input and both lengths. */
public class InputTooLongException extends IllegalArgumentException {

    private final int tokens;
    private final int maxTokens;

    public InputTooLongException(int index, int tokens, int maxTokens) {
        super("input " + index + " has " + tokens + " tokens, more than the model's window of " + maxTokens
                + "; split it before embedding");
        this.tokens = tokens;
        this.maxTokens = maxTokens;
    }

    public int tokens() {
        return tokens;
    }

    public int maxTokens() {
        return maxTokens;
    }
}
