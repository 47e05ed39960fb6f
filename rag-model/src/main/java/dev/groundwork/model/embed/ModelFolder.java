package dev.groundwork.model.embed;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a sentence-transformers model folder (as exported to ONNX, e.g. by optimum) says about its model.
 *
 * <ul>
 *   <li>{@code model.onnx} or {@code onnx/model.onnx}, and {@code tokenizer.json}: required.</li>
 *   <li>window: {@code sentence_bert_config.json}'s {@code max_seq_length}, else 512 capped by
 *       {@code config.json}'s {@code max_position_embeddings}.</li>
 *   <li>pooling: {@code 1_Pooling/config.json} ({@code pooling_mode_cls_token} or mean), mean by default.</li>
 *   <li>query prefix: {@code groundwork.json}'s {@code queryPrefix}, else {@code config_sentence_transformers.json}'s
 *       {@code prompts.query}, else none.</li>
 * </ul>
 *
 * @param window the model's input length in tokens, special tokens included
 * @param queryPrefix prepended to search queries; empty for symmetric models, never null
 */
record ModelFolder(String modelId, Path modelFile, Path tokenizerFile, int window, Pooling pooling,
                   String queryPrefix) {

    private static final int DEFAULT_WINDOW = 512;

    ModelFolder {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(tokenizerFile, "tokenizerFile");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(queryPrefix, "queryPrefix");
        if (window < 3) {
            throw new IllegalArgumentException("window must leave room for content tokens, got " + window);
        }
    }

    /** @throws IllegalArgumentException naming the file that is missing or unreadable */
    static ModelFolder read(Path dir) {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model folder " + dir + " does not exist or is not a folder");
        }
        Path model = dir.resolve("model.onnx");
        if (!Files.isRegularFile(model)) {
            model = dir.resolve("onnx").resolve("model.onnx");
        }
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("model folder " + dir + " has no model.onnx (nor onnx/model.onnx)");
        }
        Path tokenizer = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizer)) {
            throw new IllegalArgumentException("model folder " + dir + " has no tokenizer.json");
        }
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return new ModelFolder(name == null ? dir.toString() : name.toString(), model, tokenizer, window(dir),
                pooling(dir), queryPrefix(dir));
    }

    private static int window(Path dir) {
        JsonObject sbert = json(dir.resolve("sentence_bert_config.json"));
        if (sbert != null && sbert.has("max_seq_length")) {
            return positiveInt(sbert, "max_seq_length", dir.resolve("sentence_bert_config.json"));
        }
        JsonObject config = json(dir.resolve("config.json"));
        if (config != null && config.has("max_position_embeddings")) {
            return Math.min(DEFAULT_WINDOW,
                    positiveInt(config, "max_position_embeddings", dir.resolve("config.json")));
        }
        return DEFAULT_WINDOW;
    }

    private static Pooling pooling(Path dir) {
        Path file = dir.resolve("1_Pooling").resolve("config.json");
        JsonObject config = json(file);
        if (config == null) {
            return Pooling.MEAN;
        }
        if (flag(config, "pooling_mode_cls_token")) {
            return Pooling.CLS;
        }
        if (flag(config, "pooling_mode_mean_tokens")) {
            return Pooling.MEAN;
        }
        throw new IllegalArgumentException(file + " asks for a pooling other than mean or cls, which is not supported");
    }

    private static String queryPrefix(Path dir) {
        JsonObject ours = json(dir.resolve("groundwork.json"));
        if (ours != null && ours.has("queryPrefix")) {
            return ours.get("queryPrefix").getAsString();
        }
        JsonObject st = json(dir.resolve("config_sentence_transformers.json"));
        if (st != null && st.get("prompts") instanceof JsonObject prompts && prompts.has("query")) {
            return prompts.get("query").getAsString();
        }
        return "";
    }

    private static boolean flag(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value != null && value.isJsonPrimitive() && value.getAsBoolean();
    }

    private static int positiveInt(JsonObject object, String field, Path file) {
        try {
            int value = object.get(field).getAsInt();
            if (value > 0) {
                return value;
            }
        } catch (RuntimeException notANumber) {
            // reported below with the file and field
        }
        throw new IllegalArgumentException(file + ": " + field + " must be a positive integer, got " + object.get(field));
    }

    /** @return the file's JSON object, or null when the optional file is absent */
    private static JsonObject json(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                throw new IllegalArgumentException(file + " is not a JSON object");
            }
            return parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
