package dev.groundwork.model.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.Objects;

/**
 * Counts content tokens with a Hugging Face tokenizer, leaving out the special tokens it would add.
 *
 * <p>The tokenizer must be configured without truncation (see {@link #requireUntruncated}), otherwise a long text
 * would be counted as the window's length and the caller could never notice that it is too long. The tokenizer's
 * encode call is thread-safe, so is this counter. It does not own the tokenizer: closing it is the owner's job.
 */
public final class HuggingFaceTokenCounter implements TokenCounter {

    private final HuggingFaceTokenizer tokenizer;

    public HuggingFaceTokenCounter(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = requireUntruncated(tokenizer);
    }

    @Override
    public int countTokens(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            return 0;
        }
        return tokenizer.encode(text, false, false).getIds().length;
    }

    /** @throws IllegalArgumentException if the tokenizer would cut long texts */
    public static HuggingFaceTokenizer requireUntruncated(HuggingFaceTokenizer tokenizer) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (!"DO_NOT_TRUNCATE".equalsIgnoreCase(tokenizer.getTruncation())) {
            throw new IllegalArgumentException("the tokenizer truncates (" + tokenizer.getTruncation()
                    + "); counting needs a tokenizer built with truncation disabled");
        }
        return tokenizer;
    }
}
