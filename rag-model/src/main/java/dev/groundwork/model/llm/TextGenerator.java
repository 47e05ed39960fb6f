package dev.groundwork.model.llm;

import dev.groundwork.model.sample.SamplingParams;
import dev.groundwork.model.template.ChatMessage;
import dev.groundwork.model.tokenize.TokenCounter;
import java.util.List;

/**
 * A local causal language model: turns a prompt into a continuation, token by token.
 *
 * <p>Prompts that do not fit the context window ({@link #contextLength()} minus the tokens to generate) are
 * rejected with {@link PromptTooLongException}; nothing is truncated silently. Implementations serialise
 * generations (one at a time per model instance) and are otherwise thread-safe.
 */
public interface TextGenerator extends AutoCloseable {

    /** The model's name, e.g. the checkpoint folder name. */
    String modelId();

    /** Most tokens of prompt plus generated text the model can attend to. */
    int contextLength();

    /** Counts prompt tokens exactly as {@link #generate} will (special tokens in the text included). */
    TokenCounter tokenCounter();

    /** Renders chat messages into a prompt string with the model's own chat template. */
    String renderChat(List<ChatMessage> messages, boolean addGenerationPrompt);

    /**
     * Generates a continuation of a raw prompt (no template applied; special tokens written in the prompt are
     * recognised). Text is delivered to {@code listener} as it is produced.
     *
     * @throws PromptTooLongException if the prompt plus {@code params.maxNewTokens()} exceeds the context
     */
    Generation generate(String prompt, SamplingParams params, GenerationListener listener);

    @Override
    void close();
}
