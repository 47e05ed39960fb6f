package dev.groundwork.model.springai;

import dev.groundwork.model.llm.Generation;
import dev.groundwork.model.llm.TextGenerator;
import dev.groundwork.model.sample.SamplingParams;
import dev.groundwork.model.template.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Spring AI's {@link ChatModel} over a local {@link TextGenerator}, so that {@code ChatClient} and advisors work on
 * the in-process model.
 *
 * <p>The prompt's messages are rendered with the model's own chat template ({@link TextGenerator#renderChat}, with
 * the generation prompt) and generated from. Request options override the defaults given at construction:
 * temperature, top-k, top-p, max tokens, stop sequences, frequency and presence penalties (Spring AI's options have
 * no seed: the default's seed is used). An option naming another model than the generator's is refused rather than
 * answered by this one.
 *
 * <p>{@link #stream} generates on a thread of its own (named {@code groundwork-chat-N}) and emits each text piece as
 * it is produced, then a last empty response carrying the finish reason and usage. Disposing the subscription
 * cancels generation before the next token. Thread-safe as the generator is (it serialises generations); this
 * class does not own the generator and never closes it.
 */
public final class GroundworkChatModel implements ChatModel {

    private static final AtomicLong THREADS = new AtomicLong();

    private final TextGenerator generator;
    private final SamplingParams defaults;
    private final ThreadFactory threads;

    public GroundworkChatModel(TextGenerator generator, SamplingParams defaults) {
        this.generator = Objects.requireNonNull(generator, "generator");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.threads = task -> {
            Thread thread = new Thread(task, "groundwork-chat-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public ChatResponse call(Prompt prompt) {
        Objects.requireNonNull(prompt, "prompt");
        SamplingParams params = params(prompt.getOptions());
        String text = render(prompt);
        Generation generation = generator.generate(text, params, piece -> true);
        return response(generation.text(), generation);
    }

    @Override
    public Flux<ChatResponse> stream(Prompt prompt) {
        Objects.requireNonNull(prompt, "prompt");
        SamplingParams params = params(prompt.getOptions());
        String text = render(prompt);
        return Flux.create(sink -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            sink.onDispose(() -> cancelled.set(true));
            threads.newThread(() -> generate(text, params, sink, cancelled)).start();
        });
    }

    private void generate(String text, SamplingParams params, FluxSink<ChatResponse> sink, AtomicBoolean cancelled) {
        try {
            Generation generation = generator.generate(text, params, piece -> {
                if (cancelled.get()) {
                    return false;
                }
                if (!piece.isEmpty()) {
                    sink.next(new ChatResponse(List.of(new org.springframework.ai.chat.model.Generation(
                            new AssistantMessage(piece)))));
                }
                return !cancelled.get();
            });
            if (!cancelled.get()) {
                sink.next(response("", generation));
                sink.complete();
            }
        } catch (RuntimeException | Error e) {
            sink.error(e);
        }
    }

    @Override
    public ChatOptions getDefaultOptions() {
        return ChatOptions.builder()
                .model(generator.modelId())
                .temperature(defaults.temperature())
                .topK(defaults.topK())
                .topP(defaults.topP())
                .maxTokens(defaults.maxNewTokens())
                .frequencyPenalty(defaults.frequencyPenalty())
                .presencePenalty(defaults.presencePenalty())
                .stopSequences(defaults.stop())
                .build();
    }

    private String render(Prompt prompt) {
        List<ChatMessage> messages = new ArrayList<>();
        for (Message message : prompt.getInstructions()) {
            String role = switch (message.getMessageType()) {
                case SYSTEM -> "system";
                case USER -> "user";
                case ASSISTANT -> "assistant";
                case TOOL -> "tool";
            };
            messages.add(new ChatMessage(role, message.getText() == null ? "" : message.getText()));
        }
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("the prompt has no messages");
        }
        return generator.renderChat(messages, true);
    }

    /** The defaults overridden by whatever the request sets. */
    SamplingParams params(ChatOptions options) {
        if (options == null) {
            return defaults;
        }
        if (options.getModel() != null && !options.getModel().equals(generator.modelId())) {
            throw new IllegalArgumentException("this chat model serves " + generator.modelId() + ", not "
                    + options.getModel());
        }
        return new SamplingParams(
                or(options.getTemperature(), defaults.temperature()),
                or(options.getTopK(), defaults.topK()),
                or(options.getTopP(), defaults.topP()),
                defaults.minP(),
                defaults.repetitionPenalty(),
                or(options.getFrequencyPenalty(), defaults.frequencyPenalty()),
                or(options.getPresencePenalty(), defaults.presencePenalty()),
                defaults.seed(),
                or(options.getMaxTokens(), defaults.maxNewTokens()),
                options.getStopSequences() != null ? options.getStopSequences() : defaults.stop());
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private ChatResponse response(String text, Generation generation) {
        ChatGenerationMetadata metadata = ChatGenerationMetadata.builder()
                .finishReason(finishReason(generation.finishReason()))
                .build();
        ChatResponseMetadata responseMetadata = ChatResponseMetadata.builder()
                .model(generator.modelId())
                .usage(new DefaultUsage(generation.promptTokens(), generation.tokenIds().size()))
                .build();
        return new ChatResponse(List.of(new org.springframework.ai.chat.model.Generation(new AssistantMessage(text),
                metadata)), responseMetadata);
    }

    /** OpenAI's vocabulary, which Spring AI components look for. */
    private static String finishReason(Generation.FinishReason reason) {
        return switch (reason) {
            case EOS, STOP_STRING -> "STOP";
            case MAX_TOKENS -> "LENGTH";
            case CANCELLED -> "CANCELLED";
        };
    }
}
