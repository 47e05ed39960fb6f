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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rendered prompts compared byte-for-byte with the strings Hugging Face produces for the models' own templates
 * (verbatim in src/test/resources/chat-templates). The expected strings in chat-templates/expected were written by
 * transformers 5.18.0 (jinja2 3.1.6) {@code tokenizer.apply_chat_template(messages, tokenize=False, ...)} via
 * scripts/dev/hf_chat_templates.py, which holds the same conversations as these tests: change both together and
 * rerun the script. The rest checks what Hugging Face does not define (config parsing, fallback, error messages).
 */
class ChatTemplateTest {

    private static final String QWEN25 = "qwen2.5-instruct.jinja";
    private static final String QWEN3 = "qwen3.jinja";

    @TempDir
    Path dir;

    static String resource(String name) {
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/chat-templates/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }

    /** What Hugging Face rendered for a case of scripts/dev/hf_chat_templates.py. */
    static String huggingFace(String caseName) {
        return resource("expected/" + caseName + ".txt");
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

    private ChatTemplate qwen(String template) throws IOException {
        return folder(template, "", "<|im_end|>", false);
    }

    private ChatTemplate llama(String template) throws IOException {
        return folder(template, "<|begin_of_text|>", "<|eot_id|>", true);
    }

    private static Clock fixedDay(String isoDate) {
        return Clock.fixed(Instant.parse(isoDate + "T10:15:30Z"), ZoneOffset.UTC);
    }

    /** Keys in insertion order, as in the Python dict the script serializes with tojson. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** WEATHER_TOOL of the script: a JSON-schema tool with a non-ASCII description. */
    private static Map<String, Object> weatherTool() {
        return ordered("type", "function", "function", ordered("name", "get_weather",
                "description", "Current temperature in a city, in °C",
                "parameters", ordered("type", "object",
                        "properties", ordered("city", ordered("type", "string", "description", "City name")),
                        "required", List.of("city"))));
    }

    private static ChatMessage tool(String content) {
        return new ChatMessage("tool", content);
    }

    @Test
    void qwen25AddsItsDefaultSystemPromptWhenNoneIsGiven() throws IOException {
        assertThat(qwen(QWEN25).render(List.of(ChatMessage.user("Hello")), true))
                .isEqualTo(huggingFace("qwen2.5-default-system"));
    }

    @Test
    void qwen25RendersAMultiTurnConversationWithItsOwnSystemPrompt() throws IOException {
        List<ChatMessage> chat = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"),
                ChatMessage.assistant("Hello!"), ChatMessage.user("Bye"));
        assertThat(qwen(QWEN25).render(chat, false)).isEqualTo(huggingFace("qwen2.5-multi-turn"));
    }

    @Test
    void qwen25GroupsConsecutiveToolResponsesInOneUserTurn() throws IOException {
        List<ChatMessage> chat = List.of(ChatMessage.system("S"), ChatMessage.user("U"),
                ChatMessage.assistant("Calling."), tool("{\"t\": 21}"), tool("sunny"));
        assertThat(qwen(QWEN25).render(chat, true)).isEqualTo(huggingFace("qwen2.5-tool-responses"));
    }

    @Test
    void qwen25ListsToolsAsPythonJsonInItsSystemPrompt() throws IOException {
        assertThat(qwen(QWEN25).render(List.of(ChatMessage.user("Weather in Zürich?")), true,
                Map.of("tools", List.of(weatherTool())))).isEqualTo(huggingFace("qwen2.5-tools"));
    }

    @Test
    void llama31TrimsMessagesAndUsesItsDefaultDate() throws IOException {
        List<ChatMessage> chat = List.of(ChatMessage.system("  You are terse.  "), ChatMessage.user(" What is 2+2? "));
        assertThat(llama("llama-3.1-instruct.jinja").render(chat, true)).isEqualTo(huggingFace("llama-3.1-trimmed"));
    }

    @Test
    void llama31TakesTheDateStringVariableAndNeedsNoSystemMessage() throws IOException {
        List<ChatMessage> chat = List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello."), ChatMessage.user("Bye"));
        assertThat(llama("llama-3.1-instruct.jinja").render(chat, false, Map.of("date_string", "05 Dec 2024")))
                .isEqualTo(huggingFace("llama-3.1-date-string"));
    }

    @Test
    void llama31PutsToolsInTheSystemMessageWhenAskedTo() throws IOException {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("tools", List.of(weatherTool()));
        variables.put("tools_in_user_message", false);
        assertThat(llama("llama-3.1-instruct.jinja").render(List.of(ChatMessage.system("S"),
                ChatMessage.user("Weather in Zürich?")), true, variables))
                .isEqualTo(huggingFace("llama-3.1-tools-in-system"));
    }

    @Test
    void llama32TakesTodaysDateFromStrftimeNow() throws IOException {
        ChatTemplate t = llama("llama-3.2-instruct.jinja").withClock(fixedDay("2024-12-05"));
        List<ChatMessage> chat = List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello."),
                ChatMessage.user("Thanks"));
        assertThat(t.render(chat, true)).isEqualTo(huggingFace("llama-3.2-strftime"));
        assertThat(t.withClock(fixedDay("2024-07-26")).render(List.of(ChatMessage.system("S"),
                ChatMessage.user("U")), false)).isEqualTo(huggingFace("llama-3.2-system"));
    }

    @Test
    void llama32PutsToolsAsIndentedJsonInTheFirstUserMessage() throws IOException {
        ChatTemplate t = llama("llama-3.2-instruct.jinja").withClock(fixedDay("2024-12-05"));
        assertThat(t.render(List.of(ChatMessage.user("Weather in Zürich?")), true,
                Map.of("tools", List.of(weatherTool())))).isEqualTo(huggingFace("llama-3.2-tools"));
    }

    @Test
    void smolLm2AddsItsDefaultSystemPromptOnlyWithoutASystemMessage() throws IOException {
        ChatTemplate t = folder("smollm2-instruct.jinja", "<|im_start|>", "<|im_end|>", false);
        assertThat(t.render(List.of(ChatMessage.user("Hi")), true)).isEqualTo(huggingFace("smollm2-default-system"));
        assertThat(t.render(List.of(ChatMessage.system("Sys"), ChatMessage.user("Hi")), false))
                .isEqualTo(huggingFace("smollm2-system"));
    }

    @Test
    void qwen3RendersSystemUserAndGenerationPrompt() throws IOException {
        ChatTemplate t = qwen(QWEN3);
        List<ChatMessage> chat = List.of(ChatMessage.system("S"), ChatMessage.user("U"));
        assertThat(t.render(chat, true)).isEqualTo(huggingFace("qwen3-system-user"));
        assertThat(t.render(chat, true, Map.of("enable_thinking", false))).isEqualTo(huggingFace("qwen3-thinking-off"));
        assertThat(t.render(chat, true, Map.of("enable_thinking", true))).isEqualTo(huggingFace("qwen3-thinking-on"));
    }

    @Test
    void qwen3KeepsReasoningOnlyAfterTheLastQueryAndStripsItBefore() throws IOException {
        ChatTemplate t = qwen(QWEN3);
        ChatMessage reasoned = ChatMessage.assistant("<think>\nR1\n</think>\n\nA1");
        List<ChatMessage> chat = List.of(ChatMessage.user("U1"), reasoned, ChatMessage.user("U2"),
                ChatMessage.assistant("<think>\nR2\n</think>\n\nA2"));
        assertThat(t.render(chat, false)).isEqualTo(huggingFace("qwen3-reasoning-history"));
        assertThat(t.render(List.of(ChatMessage.user("U1"), reasoned, ChatMessage.user("U2")), true,
                Map.of("enable_thinking", false))).isEqualTo(huggingFace("qwen3-reasoning-history-next-turn"));
    }

    @Test
    void qwen3GivesTheLastAnswerAnEmptyThinkBlockWhenItHasNone() throws IOException {
        assertThat(qwen(QWEN3).render(List.of(ChatMessage.user("U"), ChatMessage.assistant("A")), false))
                .isEqualTo(huggingFace("qwen3-empty-think"));
    }

    @Test
    void qwen3DoesNotTreatAToolResponseAsTheLastQuery() throws IOException {
        List<ChatMessage> chat = List.of(ChatMessage.user("U1"), ChatMessage.assistant("A1"),
                ChatMessage.user("<tool_response>x</tool_response>"), ChatMessage.assistant("A2"));
        // The last real query is U1 (index 0), so A1 comes after it but is neither last nor reasoning: plain.
        assertThat(qwen(QWEN3).render(chat, false)).isEqualTo(huggingFace("qwen3-tool-response-in-user"));
    }

    @Test
    void qwen3KeepsReasoningBeforeToolMessagesAndGroupsThem() throws IOException {
        List<ChatMessage> chat = List.of(ChatMessage.user("U"),
                ChatMessage.assistant("<think>\nR\n</think>\n\nCalling."), tool("T1"), tool("T2"));
        assertThat(qwen(QWEN3).render(chat, true)).isEqualTo(huggingFace("qwen3-tool-role"));
    }

    @Test
    void qwen3ListsToolsAfterItsSystemMessage() throws IOException {
        assertThat(qwen(QWEN3).render(List.of(ChatMessage.system("S"), ChatMessage.user("Weather in Zürich?")), true,
                Map.of("tools", List.of(weatherTool())))).isEqualTo(huggingFace("qwen3-tools"));
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
