package dev.groundwork.model.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders a conversation into a model's prompt with the model's own Jinja chat template, as Hugging Face's
 * {@code tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=...)} does.
 *
 * <p>The template is rendered with Jinjava configured like Hugging Face's Jinja environment ({@code trim_blocks},
 * {@code lstrip_blocks}, no trailing newline kept) and given what Hugging Face gives: {@code messages} (maps with
 * {@code role} and {@code content}), {@code add_generation_prompt}, {@code bos_token}, {@code eos_token},
 * {@code raise_exception(msg)} (throws {@link TemplateException}) and {@code strftime_now(format)} (from this
 * template's clock: pass a fixed one for reproducible prompts). Python string methods used by newer templates
 * ({@code startswith}, {@code split}, {@code strip}...) and extended slices ({@code messages[::-1]}) work,
 * {@code not} binds as loosely as in Jinja2 and {@code tojson} writes Python's {@code json.dumps} format; see
 * {@link JinjaEnvironment}. Extra variables (e.g. {@code tools}, a list of JSON-schema maps) go through
 * {@link #render(List, boolean, Map)}. Any render error fails with a {@link TemplateException} naming the template's source.
 *
 * <p>Immutable and thread-safe.
 */
public final class ChatTemplate {

    private static final String CHAT_ML = "{% for message in messages %}"
            + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
            + "{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private final String source;
    private final String origin;
    private final String bosToken;
    private final String eosToken;
    private final Clock clock;
    private final Jinjava jinjava;

    private ChatTemplate(String source, String origin, String bosToken, String eosToken, Clock clock) {
        this.source = JinjaEnvironment.preprocess(Objects.requireNonNull(source, "source"));
        this.origin = Objects.requireNonNull(origin, "origin");
        this.bosToken = Objects.requireNonNull(bosToken, "bosToken");
        this.eosToken = Objects.requireNonNull(eosToken, "eosToken");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jinjava = JinjaEnvironment.create();
    }

    /**
     * The template of a model folder ({@code tokenizer_config.json}'s {@code chat_template}, a string or the
     * {@code "default"} entry of a list of named templates), or ChatML when the folder has none.
     *
     * @throws TemplateException if {@code tokenizer_config.json} exists but cannot be read or parsed
     */
    public static ChatTemplate fromModelFolder(Path modelDir) {
        Path config = modelDir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(config)) {
            return chatMl();
        }
        TokenizerConfig parsed = TokenizerConfig.read(config);
        if (parsed.chatTemplate() == null) {
            return new ChatTemplate(CHAT_ML, "ChatML fallback (no chat_template in " + config + ")",
                    parsed.bosToken(), parsed.eosToken(), Clock.systemDefaultZone());
        }
        return new ChatTemplate(parsed.chatTemplate(), "chat_template of " + config, parsed.bosToken(),
                parsed.eosToken(), Clock.systemDefaultZone());
    }

    /** ChatML ({@code <|im_start|>role\ncontent<|im_end|>\n}), for models that ship no template. */
    public static ChatTemplate chatMl() {
        return new ChatTemplate(CHAT_ML, "built-in ChatML", "", "", Clock.systemDefaultZone());
    }

    /**
     * A template given as Jinja source.
     *
     * @param origin where it came from, named in error messages
     */
    public static ChatTemplate of(String source, String origin, String bosToken, String eosToken) {
        return new ChatTemplate(source, origin, bosToken, eosToken, Clock.systemDefaultZone());
    }

    /** The same template with {@code strftime_now} reading {@code clock} (for reproducible dates). */
    public ChatTemplate withClock(Clock clock) {
        return new ChatTemplate(source, origin, bosToken, eosToken, clock);
    }

    /** Where the template came from (a file, or the built-in ChatML). */
    public String origin() {
        return origin;
    }

    /**
     * @throws TemplateException if the template fails to render or calls {@code raise_exception}
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders with extra template variables, e.g. {@code enable_thinking=false} for Qwen3.
     *
     * @throws TemplateException if the template fails to render or calls {@code raise_exception}
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
        List<Map<String, Object>> list = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            list.add(map);
        }
        Map<String, Object> context = new HashMap<>(variables);
        context.put("messages", list);
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        context.put(JinjaFunctions.CLOCK_VARIABLE, clock);
        JinjaEnvironment.defineFunctionsAsVariables(context);
        RenderResult result;
        try {
            result = jinjava.renderForResult(source, context);
        } catch (JinjaFunctions.RaisedByTemplate e) {
            throw raised(e);
        } catch (RuntimeException e) {
            throw new TemplateException("cannot render the " + origin + ": " + e.getMessage(), e);
        }
        for (TemplateError error : result.getErrors()) {
            JinjaFunctions.RaisedByTemplate raised = raisedIn(error.getException());
            if (raised != null) {
                throw raised(raised);
            }
        }
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TemplateException("cannot render the " + origin + " (line " + error.getLineno() + "): "
                        + error.getMessage(), error.getException());
            }
        }
        return result.getOutput();
    }

    private TemplateException raised(JinjaFunctions.RaisedByTemplate e) {
        return new TemplateException("the " + origin + " refused the conversation: " + e.getMessage(), e);
    }

    private static JinjaFunctions.RaisedByTemplate raisedIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof JinjaFunctions.RaisedByTemplate r) {
                return r;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "ChatTemplate[" + origin + "]";
    }
}
