package dev.groundwork.model.template;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The parts of a Hugging Face {@code tokenizer_config.json} that a chat template needs.
 *
 * @param chatTemplate the Jinja source, or {@code null} when the file has none
 * @param bosToken the beginning-of-sequence token text, {@code ""} when absent
 * @param eosToken the end-of-sequence token text, {@code ""} when absent
 */
record TokenizerConfig(String chatTemplate, String bosToken, String eosToken) {

    static TokenizerConfig read(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TemplateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonObject root;
        try {
            JsonElement parsed = JsonParser.parseString(json);
            if (!parsed.isJsonObject()) {
                throw new TemplateException(file + " is not a JSON object");
            }
            root = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new TemplateException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        return new TokenizerConfig(template(root.get("chat_template"), file), token(root, "bos_token", file),
                token(root, "eos_token", file));
    }

    /** A string, or (newer configs) a list of {name, template} of which "default" is the chat one. */
    private static String template(JsonElement element, Path file) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isString()) {
            return element.getAsString();
        }
        if (element.isJsonArray()) {
            for (JsonElement entry : element.getAsJsonArray()) {
                if (entry.isJsonObject() && entry.getAsJsonObject().has("name")
                        && "default".equals(entry.getAsJsonObject().get("name").getAsString())) {
                    JsonElement template = entry.getAsJsonObject().get("template");
                    if (template != null && template.isJsonPrimitive()) {
                        return template.getAsString();
                    }
                }
            }
            throw new TemplateException(file + ": field chat_template is a list without a template named \"default\"");
        }
        throw new TemplateException(file + ": field chat_template must be a string or a list of named templates");
    }

    /** A special token is written as a string or as an AddedToken object {"content": ...}. */
    private static String token(JsonObject root, String field, Path file) {
        JsonElement element = root.get(field);
        if (element == null || element.isJsonNull()) {
            return "";
        }
        if (element.isJsonPrimitive()) {
            return element.getAsString();
        }
        if (element.isJsonObject() && element.getAsJsonObject().has("content")) {
            return element.getAsJsonObject().get("content").getAsString();
        }
        throw new TemplateException(file + ": field " + field + " must be a string or an object with \"content\"");
    }
}
