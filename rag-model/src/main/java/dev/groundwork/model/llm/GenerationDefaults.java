package dev.groundwork.model.llm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * End-of-sequence and beginning-of-sequence ids of a model folder: {@code generation_config.json} first (its
 * {@code eos_token_id} may be a number or a list), {@code config.json} as the fallback.
 *
 * @param eosTokenIds ids that end generation; may be empty (then only max tokens and stop strings end it)
 * @param bosTokenId the BOS id, or -1 when the model has none
 */
public record GenerationDefaults(Set<Integer> eosTokenIds, int bosTokenId) {

    public GenerationDefaults {
        eosTokenIds = Set.copyOf(eosTokenIds);
    }

    public static GenerationDefaults fromFolder(Path dir) {
        JsonObject generation = readOptional(dir.resolve("generation_config.json"));
        JsonObject config = readOptional(dir.resolve("config.json"));
        Set<Integer> eos = new LinkedHashSet<>();
        addIds(generation.get("eos_token_id"), eos);
        if (eos.isEmpty()) {
            addIds(config.get("eos_token_id"), eos);
        }
        Set<Integer> bos = new LinkedHashSet<>();
        addIds(generation.get("bos_token_id"), bos);
        if (bos.isEmpty()) {
            addIds(config.get("bos_token_id"), bos);
        }
        return new GenerationDefaults(eos, bos.isEmpty() ? -1 : bos.iterator().next());
    }

    private static void addIds(JsonElement e, Set<Integer> out) {
        if (e == null || e.isJsonNull()) {
            return;
        }
        if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(id -> out.add(id.getAsInt()));
        } else {
            out.add(e.getAsInt());
        }
    }

    private static JsonObject readOptional(Path file) {
        if (!Files.isRegularFile(file)) {
            return new JsonObject();
        }
        try {
            return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + " is not a JSON object", e);
        }
    }
}
