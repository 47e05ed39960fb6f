package dev.groundwork.model.tokenize;

/**
 * Counts the tokens a model would see for a text, so that callers (the chunker, prompt builders) can keep
 * inputs inside the model's window instead of letting a tokenizer cut them silently.
 *
 * <p>The count excludes the special tokens a model adds around an input (such as {@code [CLS]} and
 * {@code [SEP]}); {@link dev.groundwork.model.embed.Embedder#maxInputTokens()} is expressed in the same unit.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface TokenCounter {

    /** @return the number of content tokens of {@code text}; 0 for an empty string. Never truncates. */
    int countTokens(String text);
}
