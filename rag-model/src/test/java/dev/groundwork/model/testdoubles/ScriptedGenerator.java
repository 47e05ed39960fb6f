package dev.groundwork.model.testdoubles;

import dev.groundwork.model.llm.Generation;
import dev.groundwork.model.llm.GenerationListener;
import dev.groundwork.model.llm.PromptTooLongException;
import dev.groundwork.model.llm.TextGenerator;
import dev.groundwork.model.sample.SamplingParams;
import dev.groundwork.model.template.ChatMessage;
import dev.groundwork.model.template.ChatTemplate;
import dev.groundwork.model.tokenize.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TextGenerator} that "generates" a fixed script of pieces, one token per piece, honouring max tokens,
 * stop strings and cancellation like a real one. Records the last prompt, parameters and generating thread.
 * Prompt tokens are counted as whitespace-separated words. Renders chats with ChatML.
 */
public final class ScriptedGenerator implements TextGenerator {

    private final String modelId;
    private final List<String> script;
    private final int contextLength;
    /** When set, each piece after the first waits for it: lets a test cancel mid-generation. */
    private volatile CountDownLatch gate;
    public volatile String lastPrompt;
    public volatile SamplingParams lastParams;
    public volatile String lastThread;
    public volatile int piecesDelivered;
    public volatile boolean closed;
    public volatile Generation lastGeneration;
    /** Counted down when a generation returns (normally or not). */
    public final CountDownLatch finished = new CountDownLatch(1);

    public ScriptedGenerator(String modelId, List<String> script, int contextLength) {
        this.modelId = modelId;
        this.script = List.copyOf(script);
        this.contextLength = contextLength;
    }

    public ScriptedGenerator gateAfterFirstPiece(CountDownLatch latch) {
        this.gate = latch;
        return this;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public TokenCounter tokenCounter() {
        return text -> text.isBlank() ? 0 : text.trim().split("\\s+").length;
    }

    @Override
    public String renderChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return ChatTemplate.chatMl().render(messages, addGenerationPrompt);
    }

    @Override
    public synchronized Generation generate(String prompt, SamplingParams params, GenerationListener listener) {
        try {
            lastGeneration = run(prompt, params, listener);
            return lastGeneration;
        } finally {
            finished.countDown();
        }
    }

    private Generation run(String prompt, SamplingParams params, GenerationListener listener) {
        lastPrompt = prompt;
        lastParams = params;
        lastThread = Thread.currentThread().getName();
        piecesDelivered = 0;
        int promptTokens = tokenCounter().countTokens(prompt);
        if (promptTokens + params.maxNewTokens() > contextLength) {
            throw new PromptTooLongException(promptTokens, params.maxNewTokens(), contextLength);
        }
        StringBuilder text = new StringBuilder();
        List<Integer> ids = new ArrayList<>();
        Generation.FinishReason reason = Generation.FinishReason.EOS;
        for (int i = 0; i < script.size(); i++) {
            if (ids.size() == params.maxNewTokens()) {
                reason = Generation.FinishReason.MAX_TOKENS;
                break;
            }
            if (i > 0 && gate != null) {
                try {
                    gate.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String piece = script.get(i);
            ids.add(i);
            text.append(piece);
            String stop = params.stop().stream().filter(s -> text.indexOf(s) >= 0).findFirst().orElse(null);
            if (stop != null) {
                text.setLength(text.indexOf(stop));
                reason = Generation.FinishReason.STOP_STRING;
                break;
            }
            piecesDelivered++;
            if (!listener.onText(piece)) {
                reason = Generation.FinishReason.CANCELLED;
                break;
            }
        }
        return new Generation(text.toString(), ids, promptTokens, reason, 3_000_000L, 40_000_000L);
    }

    @Override
    public void close() {
        closed = true;
    }
}
