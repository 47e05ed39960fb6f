package dev.groundwork.api.ask;

/**
 * How the retrieved passages fitted a language model's context window, reported with each LLM answer so that a
 * client can see when passages were left out.
 *
 * @param passagesUsed passages shown to the model (the last one possibly cut at a sentence boundary)
 * @param passagesDropped retrieved passages left out because the context budget was spent, the lowest-ranked ones
 * @param lastPassageTruncated whether the last passage shown was cut short to fit
 * @param promptTokens tokens of the whole prompt, as the model counts them
 * @param generatedTokens tokens the model generated
 * @param finishReason why generation ended ({@code EOS}, {@code STOP_STRING}, {@code MAX_TOKENS},
 *     {@code CANCELLED}), or {@code null} when the model was not called (no passage to answer from)
 */
public record AnswerContext(int passagesUsed, int passagesDropped, boolean lastPassageTruncated, int promptTokens,
        int generatedTokens, String finishReason) {

    public AnswerContext {
        if (passagesUsed < 0 || passagesDropped < 0 || promptTokens < 0 || generatedTokens < 0) {
            throw new IllegalArgumentException("counts must be >= 0: used " + passagesUsed + ", dropped "
                    + passagesDropped + ", prompt " + promptTokens + ", generated " + generatedTokens);
        }
    }
}
