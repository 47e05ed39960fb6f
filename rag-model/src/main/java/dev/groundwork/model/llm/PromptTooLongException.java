package dev.groundwork.model.llm;

/** The prompt and the tokens to generate do not fit the model's context window. */
public class PromptTooLongException extends IllegalArgumentException {

    private final int promptTokens;
    private final int maxNewTokens;
    private final int contextLength;

    public PromptTooLongException(int promptTokens, int maxNewTokens, int contextLength) {
        super("prompt of " + promptTokens + " tokens plus " + maxNewTokens + " new tokens exceeds the context of "
                + contextLength + " tokens");
        this.promptTokens = promptTokens;
        this.maxNewTokens = maxNewTokens;
        this.contextLength = contextLength;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int maxNewTokens() {
        return maxNewTokens;
    }

    public int contextLength() {
        return contextLength;
    }
}
