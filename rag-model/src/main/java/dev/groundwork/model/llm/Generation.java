package dev.groundwork.model.llm;

import java.util.List;

/**
 * The result of one generation.
 *
 * @param text the generated text, without the prompt and without a matched stop string
 * @param tokenIds the generated token ids (including an EOS token if one ended generation)
 * @param promptTokens number of prompt tokens
 * @param finishReason why it stopped
 * @param prefillNanos time to process the prompt (time to first token)
 * @param decodeNanos time spent generating the rest
 */
public record Generation(String text, List<Integer> tokenIds, int promptTokens, FinishReason finishReason,
        long prefillNanos, long decodeNanos) {

    public enum FinishReason { EOS, STOP_STRING, MAX_TOKENS, CANCELLED }

    public Generation {
        tokenIds = List.copyOf(tokenIds);
    }

    /** Decode speed in tokens per second, excluding the first token (produced by prefill). */
    public double decodeTokensPerSecond() {
        int decoded = Math.max(0, tokenIds.size() - 1);
        return decodeNanos == 0 ? 0 : decoded / (decodeNanos / 1e9);
    }
}
