package dev.groundwork.model.template;

import java.nio.file.Path;
import java.util.List;

/**
 * Renders a conversation into a model's prompt with the model's own Jinja chat template.
 * TODO(skeleton): only the ChatML fallback so far; the template work renders {@code chat_template} with Jinjava.
 * Thread-safe.
 */
public class ChatTemplate {

    /** The template of a model folder ({@code tokenizer_config.json}'s {@code chat_template}), or ChatML. */
    public static ChatTemplate fromModelFolder(Path modelDir) {
        return new ChatTemplate();
    }

    /** ChatML ({@code <|im_start|>role\ncontent<|im_end|>\n}), for models that ship no template. */
    public static ChatTemplate chatMl() {
        return new ChatTemplate();
    }

    /**
     * @throws TemplateException if the template fails to render or calls {@code raise_exception}
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder out = new StringBuilder();
        for (ChatMessage m : messages) {
            out.append("<|im_start|>").append(m.role()).append('\n').append(m.content()).append("<|im_end|>\n");
        }
        if (addGenerationPrompt) {
            out.append("<|im_start|>assistant\n");
        }
        return out.toString();
    }
}
