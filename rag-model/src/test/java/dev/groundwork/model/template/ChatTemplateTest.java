package dev.groundwork.model.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rendered prompts compared with the exact strings Hugging Face's {@code apply_chat_template} produces for the
 * models' own templates (verbatim in src/test/resources/chat-templates; expected strings derived from the templates'
 * Jinja2 semantics with trim_blocks and lstrip_blocks).
 */
class ChatTemplateTest {

    @TempDir
    Path dir;

    static String resource(String name) {
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/chat-templates/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }

    /** Writes a tokenizer_config.json as Hugging Face ships it (special tokens as AddedToken objects or strings). */
    private ChatTemplate folder(String templateResource, String bos, String eos, boolean tokensAsObjects)
            throws IOException {
        JsonObject config = new JsonObject();
        config.addProperty("chat_template", resource(templateResource));
        if (tokensAsObjects) {
            JsonObject b = new JsonObject();
            b.addProperty("content", bos);
            b.addProperty("special", true);
            config.add("bos_token", b);
            JsonObject e = new JsonObject();
            e.addProperty("content", eos);
            config.add("eos_token", e);
        } else {
            config.addProperty("bos_token", bos);
            config.addProperty("eos_token", eos);
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), config.toString());
        return ChatTemplate.fromModelFolder(dir);
    }

    private static Clock fixedDay(String isoDate) {
        return Clock.fixed(Instant.parse(isoDate + "T10:15:30Z"), ZoneOffset.UTC);
    }

    @Test
    void qwen25AddsItsDefaultSystemPromptWhenNoneIsGiven() throws IOException {
        ChatTemplate t = folder("qwen2.5-instruct.jinja", "", "<|im_end|>", false);
        assertThat(t.render(List.of(ChatMessage.user("Hello")), true)).isEqualTo(
                "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                        + "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void qwen25RendersAMultiTurnConversationWithItsOwnSystemPrompt() throws IOException {
        ChatTemplate t = folder("qwen2.5-instruct.jinja", "", "<|im_end|>", false);
        List<ChatMessage> chat = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"),
                ChatMessage.assistant("Hello!"), ChatMessage.user("Bye"));
        assertThat(t.render(chat, false)).isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n"
                + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n"
                + "<|im_start|>user\nBye<|im_end|>\n");
    }

    @Test
    void llama31TrimsMessagesAndUsesItsDefaultDate() throws IOException {
        ChatTemplate t = folder("llama-3.1-instruct.jinja", "<|begin_of_text|>", "<|eot_id|>", true);
        List<ChatMessage> chat = List.of(ChatMessage.system("  You are terse.  "), ChatMessage.user(" What is 2+2? "));
        assertThat(t.render(chat, true)).isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
                + "You are terse.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
                + "What is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void llama32TakesTodaysDateFromStrftimeNow() throws IOException {
        ChatTemplate t = folder("llama-3.2-instruct.jinja", "<|begin_of_text|>", "<|eot_id|>", true)
                .withClock(fixedDay("2024-12-05"));
        List<ChatMessage> chat = List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello."),
                ChatMessage.user("Thanks"));
        assertThat(t.render(chat, true)).isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                + "Cutting Knowledge Date: December 2023\nToday Date: 05 Dec 2024\n\n<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nThanks<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n");
        assertThat(t.withClock(fixedDay("2024-07-26")).render(List.of(ChatMessage.system("S"),
                ChatMessage.user("U")), false)).isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>"
                + "\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nS<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nU<|eot_id|>");
    }

    @Test
    void smolLm2AddsItsDefaultSystemPromptOnlyWithoutASystemMessage() throws IOException {
        ChatTemplate t = folder("smollm2-instruct.jinja", "<|im_start|>", "<|im_end|>", false);
        assertThat(t.render(List.of(ChatMessage.user("Hi")), true)).isEqualTo(
                "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
                        + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
        assertThat(t.render(List.of(ChatMessage.system("Sys"), ChatMessage.user("Hi")), false))
                .isEqualTo("<|im_start|>system\nSys<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n");
    }

    @Test
    void qwen3RendersSystemUserAndGenerationPrompt() throws IOException {
        ChatTemplate t = folder("qwen3.jinja", "", "<|im_end|>", false);
        List<ChatMessage> chat = List.of(ChatMessage.system("S"), ChatMessage.user("U"));
        assertThat(t.render(chat, true))
                .isEqualTo("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n");
        assertThat(t.render(chat, true, Map.of("enable_thinking", false))).isEqualTo("<|im_start|>system\nS<|im_end|>\n"
                + "<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
        assertThat(t.render(chat, true, Map.of("enable_thinking", true))).isEqualTo(t.render(chat, true));
    }

    @Test
    void qwen3KeepsReasoningOnlyAfterTheLastQueryAndStripsItBefore() throws IOException {
        ChatTemplate t = folder("qwen3.jinja", "", "<|im_end|>", false);
        List<ChatMessage> chat = List.of(ChatMessage.user("U1"), ChatMessage.assistant("<think>\nR1\n</think>\n\nA1"),
                ChatMessage.user("U2"), ChatMessage.assistant("<think>\nR2\n</think>\n\nA2"));
        assertThat(t.render(chat, false)).isEqualTo("<|im_start|>user\nU1<|im_end|>\n<|im_start|>assistant\nA1<|im_end|>\n"
                + "<|im_start|>user\nU2<|im_end|>\n<|im_start|>assistant\n<think>\nR2\n</think>\n\nA2<|im_end|>\n");
    }

    @Test
    void qwen3GivesTheLastAnswerAnEmptyThinkBlockWhenItHasNone() throws IOException {
        ChatTemplate t = folder("qwen3.jinja", "", "<|im_end|>", false);
        assertThat(t.render(List.of(ChatMessage.user("U"), ChatMessage.assistant("A")), false)).isEqualTo(
                "<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nA<|im_end|>\n");
    }

    @Test
    void qwen3DoesNotTreatAToolResponseAsTheLastQuery() throws IOException {
        ChatTemplate t = folder("qwen3.jinja", "", "<|im_end|>", false);
        List<ChatMessage> chat = List.of(ChatMessage.user("U1"), ChatMessage.assistant("A1"),
                ChatMessage.user("<tool_response>x</tool_response>"), ChatMessage.assistant("A2"));
        // The last real query is U1 (index 0), so A1 comes after it but is neither last nor reasoning: plain.
        assertThat(t.render(chat, false)).isEqualTo("<|im_start|>user\nU1<|im_end|>\n<|im_start|>assistant\nA1<|im_end|>\n"
                + "<|im_start|>user\n<tool_response>x</tool_response><|im_end|>\n"
                + "<|im_start|>assistant\n<think>\n\n</think>\n\nA2<|im_end|>\n");
    }

    @Test
    void listOfNamedTemplatesPicksDefault() throws IOException {
        JsonObject config = new JsonObject();
        JsonArray templates = new JsonArray();
        JsonObject toolUse = new JsonObject();
        toolUse.addProperty("name", "tool_use");
        toolUse.addProperty("template", "TOOLS");
        templates.add(toolUse);
        JsonObject def = new JsonObject();
        def.addProperty("name", "default");
        def.addProperty("template", "{{ bos_token }}{% for m in messages %}[{{ m.role }}:{{ m.content }}]{% endfor %}");
        templates.add(def);
        config.add("chat_template", templates);
        config.addProperty("bos_token", "<s>");
        Files.writeString(dir.resolve("tokenizer_config.json"), config.toString());
        assertThat(ChatTemplate.fromModelFolder(dir).render(List.of(ChatMessage.user("x")), false))
                .isEqualTo("<s>[user:x]");
    }

    @Test
    void raiseExceptionFailsTheRenderNamingTheTemplate() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"{% if messages[0].role != "
                + "'user' %}{{ raise_exception('Conversation roles must alternate user/assistant') }}{% endif %}ok\"}");
        ChatTemplate t = ChatTemplate.fromModelFolder(dir);
        assertThat(t.render(List.of(ChatMessage.user("x")), false)).isEqualTo("ok");
        assertThatThrownBy(() -> t.render(List.of(ChatMessage.assistant("x")), false))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("Conversation roles must alternate user/assistant")
                .hasMessageContaining(dir.resolve("tokenizer_config.json").toString());
    }

    @Test
    void aBrokenTemplateFailsLoudly() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"{% for m in messages %}{{ m.content }}\"}");
        assertThatThrownBy(() -> ChatTemplate.fromModelFolder(dir).render(List.of(ChatMessage.user("x")), false))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("tokenizer_config.json");
    }

    @Test
    void folderWithoutTemplateFallsBackToChatMl() throws IOException {
        String expected = "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n";
        List<ChatMessage> chat = List.of(ChatMessage.system("S"), ChatMessage.user("U"));
        assertThat(ChatTemplate.fromModelFolder(dir).render(chat, true)).isEqualTo(expected);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\"}");
        ChatTemplate fallback = ChatTemplate.fromModelFolder(dir);
        assertThat(fallback.render(chat, true)).isEqualTo(expected);
        assertThat(fallback.origin()).contains("ChatML");
        assertThat(ChatTemplate.chatMl().render(chat, false)).isEqualTo(expected.replace("<|im_start|>assistant\n", ""));
    }

    @Test
    void unreadableConfigNamesTheFile() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{not json");
        assertThatThrownBy(() -> ChatTemplate.fromModelFolder(dir)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("tokenizer_config.json").hasMessageContaining("not valid JSON");
    }
}
