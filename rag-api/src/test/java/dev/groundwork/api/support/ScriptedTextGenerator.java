package dev.groundwork.api.support;

import dev.groundwork.model.llm.Generation;
import dev.groundwork.model.llm.GenerationListener;
import dev.groundwork.model.llm.PromptTooLongException;
import dev.groundwork.model.llm.TextGenerator;
import dev.groundwork.model.sample.SamplingParams;
import dev.groundwork.model.template.ChatMessage;
import dev.groundwork.model.tokenize.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A language model that "generates" a scripted answer, one whitespace-delimited word (with its leading space) per
 * token, and counts tokens by whitespace. Its chat template writes {@code <|role|>} lines. Like a real model it
 * rejects a prompt over its context and stops when the listener returns {@code false}. Records every prompt, the
 * sampling settings and how many tokens each generation delivered.
 */
public final class ScriptedTextGenerator implements TextGenerator {

    private static final Pattern WORD = Pattern.compile("\\s*\\S+");

    private final int contextLength;
    private final TokenCounter counter;
    private final List<String> prompts = new CopyOnWriteArrayList<>();
    private final List<Generation> generations = new CopyOnWriteArrayList<>();
    private volatile String script;
    private volatile SamplingParams lastParams;
    private volatile boolean closed;
    private volatile RuntimeException failure;
    private volatile long pauseMillis;

    public ScriptedTextGenerator(int contextLength, String script) {
        this(contextLength, script, ScriptedTextGenerator::words);
    }

    /** With another way of counting tokens (applied to prompts too). */
    public ScriptedTextGenerator(int contextLength, String script, TokenCounter counter) {
        this.contextLength = contextLength;
        this.script = script;
        this.counter = counter;
    }

    public static int words(String text) {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }

    public void script(String script) {
        this.script = script;
    }

    /** Makes the next generations throw {@code failure} ({@code null} to stop failing). */
    public void failWith(RuntimeException failure) {
        this.failure = failure;
    }

    /** Paces generation like a slow model: a pause before each token. */
    public void pauseBeforeEachToken(long millis) {
        this.pauseMillis = millis;
    }

    public List<String> prompts() {
        return List.copyOf(prompts);
    }

    public List<Generation> generations() {
        return List.copyOf(generations);
    }

    public SamplingParams lastParams() {
        return lastParams;
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public String modelId() {
        return "scripted-7b";
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public TokenCounter tokenCounter() {
        return counter;
    }

    @Override
    public String renderChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder out = new StringBuilder();
        for (ChatMessage m : messages) {
            out.append("<|").append(m.role()).append("|>\n").append(m.content()).append("\n<|end|>\n");
        }
        return addGenerationPrompt ? out.append("<|assistant|>\n").toString() : out.toString();
    }

    @Override
    public Generation generate(String prompt, SamplingParams params, GenerationListener listener) {
        int promptTokens = counter.countTokens(prompt);
        if (promptTokens + params.maxNewTokens() > contextLength) {
            throw new PromptTooLongException(promptTokens, params.maxNewTokens(), contextLength);
        }
        prompts.add(prompt);
        lastParams = params;
        if (failure != null) {
            throw failure;
        }
        List<Integer> ids = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Generation.FinishReason reason = Generation.FinishReason.EOS;
        Matcher m = WORD.matcher(script);
        while (m.find()) {
            if (ids.size() == params.maxNewTokens()) {
                reason = Generation.FinishReason.MAX_TOKENS;
                break;
            }
            pause();
            ids.add(ids.size());
            text.append(m.group());
            if (!listener.onText(m.group())) {
                reason = Generation.FinishReason.CANCELLED;
                break;
            }
        }
        Generation generation = new Generation(text.toString(), ids, promptTokens, reason, 1, 1);
        generations.add(generation);
        return generation;
    }

    private void pause() {
        if (pauseMillis > 0) {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while generating", e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
