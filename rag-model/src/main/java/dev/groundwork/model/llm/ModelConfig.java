package dev.groundwork.model.llm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The shape of a decoder-only transformer, read from a Hugging Face {@code config.json}.
 *
 * <p>Attention and MLP biases are not configuration here: the loader uses a bias when the checkpoint has the tensor
 * (Qwen2 ships q/k/v biases without declaring them).
 *
 * <p>Sliding-window attention follows Hugging Face transformers: on a sliding layer the query at position i attends
 * to keys j with {@code i - slidingWindow < j <= i}, i.e. the last {@code slidingWindow} positions including itself.
 * Mistral slides on every layer when {@code sliding_window} is non-null (absent means transformers' default 4096);
 * Qwen2 and Qwen3 slide only when {@code use_sliding_window} is true, on the layers {@code layer_types} marks
 * {@code sliding_attention}, or, without {@code layer_types}, on layers {@code i >= max_window_layers} (default 28);
 * Llama never slides. The window does not limit the context: that is {@code max_position_embeddings}.
 *
 * @param architecture one of {@link #SUPPORTED_ARCHITECTURES}
 * @param headDim per-head width; Qwen3 sets it independently of {@code hiddenSize / numHeads}
 * @param ropeScaling null for plain rotary embeddings
 * @param qkNorm whether queries and keys are RMS-normalised per head before rotation (Qwen3)
 * @param contextLength positions the model may attend to (max_position_embeddings)
 * @param slidingWindow keys a query sees on a sliding layer (itself included); 0 when no layer slides
 * @param slidingLayers for each layer, whether it uses the sliding window; immutable, one entry per layer
 */
public record ModelConfig(String architecture, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
        int numKvHeads, int headDim, double rmsNormEps, double ropeTheta, RopeScaling ropeScaling, int contextLength,
        int vocabSize, boolean tieWordEmbeddings, boolean qkNorm, int slidingWindow, List<Boolean> slidingLayers) {

    public static final List<String> SUPPORTED_ARCHITECTURES =
            List.of("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM", "Qwen3ForCausalLM");

    /** transformers' MistralConfig / Qwen2Config default when config.json has no {@code sliding_window} key. */
    static final int DEFAULT_SLIDING_WINDOW = 4096;
    /** transformers' Qwen2Config / Qwen3Config default {@code max_window_layers}. */
    static final int DEFAULT_MAX_WINDOW_LAYERS = 28;

    /** A configuration without sliding-window attention on any layer. */
    public ModelConfig(String architecture, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
            int numKvHeads, int headDim, double rmsNormEps, double ropeTheta, RopeScaling ropeScaling,
            int contextLength, int vocabSize, boolean tieWordEmbeddings, boolean qkNorm) {
        this(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim, rmsNormEps,
                ropeTheta, ropeScaling, contextLength, vocabSize, tieWordEmbeddings, qkNorm, 0,
                Collections.nCopies(Math.max(numLayers, 0), false));
    }

    public ModelConfig {
        if (!SUPPORTED_ARCHITECTURES.contains(architecture)) {
            throw new IllegalArgumentException("unsupported architecture " + architecture + "; supported: "
                    + String.join(", ", SUPPORTED_ARCHITECTURES));
        }
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("num_key_value_heads", numKvHeads);
        positive("head_dim", headDim);
        positive("max_position_embeddings", contextLength);
        positive("vocab_size", vocabSize);
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + numHeads
                    + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim " + headDim + " must be even for rotary embeddings");
        }
        if (!(rmsNormEps > 0) || !(ropeTheta > 0)) {
            throw new IllegalArgumentException("rms_norm_eps and rope_theta must be > 0");
        }
        slidingLayers = List.copyOf(slidingLayers);
        if (slidingLayers.size() != numLayers) {
            throw new IllegalArgumentException("sliding-window flags for " + slidingLayers.size()
                    + " layers, but num_hidden_layers is " + numLayers);
        }
        boolean anySliding = slidingLayers.contains(true);
        if (anySliding ? slidingWindow <= 0 : slidingWindow != 0) {
            throw new IllegalArgumentException(anySliding
                    ? "sliding_window must be > 0 when a layer uses sliding attention, was " + slidingWindow
                    : "sliding_window " + slidingWindow + " given but no layer uses sliding attention");
        }
    }

    /** Whether {@code layer} attends only to the last {@link #slidingWindow()} positions. */
    public boolean sliding(int layer) {
        return slidingLayers.get(layer);
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0, was " + value);
        }
    }

    /**
     * llama3-style rotary frequency scaling (Llama 3.1+), or {@code linear} position interpolation.
     *
     * @param type {@code llama3} or {@code linear}
     */
    public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
            int originalMaxPositionEmbeddings) {

        public RopeScaling {
            if (!type.equals("llama3") && !type.equals("linear")) {
                throw new IllegalArgumentException("rope_scaling type " + type
                        + " is not supported (supported: default, linear, llama3)");
            }
            if (!(factor > 0)) {
                throw new IllegalArgumentException("rope_scaling factor must be > 0, was " + factor);
            }
            if (type.equals("llama3") && (!(highFreqFactor > lowFreqFactor) || originalMaxPositionEmbeddings <= 0)) {
                throw new IllegalArgumentException("llama3 rope_scaling needs high_freq_factor > low_freq_factor "
                        + "and original_max_position_embeddings > 0");
            }
        }
    }

    public int kvGroups() {
        return numHeads / numKvHeads;
    }

    /** Reads {@code config.json} of a model folder. @throws IllegalArgumentException naming the file and field */
    public static ModelConfig fromFolder(Path dir) {
        Path file = dir.resolve("config.json");
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("model folder " + dir + " has no config.json", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + " is not a JSON object", e);
        }
        try {
            return fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static ModelConfig fromJson(JsonObject json) {
        JsonElement archs = json.get("architectures");
        if (archs == null || !archs.isJsonArray() || archs.getAsJsonArray().isEmpty()) {
            throw new IllegalArgumentException("architectures is missing; supported: "
                    + String.join(", ", SUPPORTED_ARCHITECTURES));
        }
        String architecture = archs.getAsJsonArray().get(0).getAsString();
        if (!SUPPORTED_ARCHITECTURES.contains(architecture)) {
            throw new IllegalArgumentException("unsupported architecture " + architecture + "; supported: "
                    + String.join(", ", SUPPORTED_ARCHITECTURES));
        }
        int hidden = requiredInt(json, "hidden_size");
        int heads = requiredInt(json, "num_attention_heads");
        int kvHeads = optionalInt(json, "num_key_value_heads", heads);
        int headDim = optionalInt(json, "head_dim", hidden / heads);
        int layers = requiredInt(json, "num_hidden_layers");
        List<Boolean> sliding = slidingLayers(json, architecture, Math.max(layers, 0));
        int window = sliding.contains(true) ? slidingWindow(json) : 0;
        return new ModelConfig(architecture, hidden, requiredInt(json, "intermediate_size"), layers, heads, kvHeads,
                headDim, optionalDouble(json, "rms_norm_eps", 1e-6), optionalDouble(json, "rope_theta", 10000.0),
                ropeScaling(json.get("rope_scaling")), requiredInt(json, "max_position_embeddings"),
                requiredInt(json, "vocab_size"),
                json.has("tie_word_embeddings") && json.get("tie_word_embeddings").getAsBoolean(),
                architecture.equals("Qwen3ForCausalLM"), window, sliding);
    }

    /** Which layers slide, by the rules of transformers' MistralConfig and Qwen2Config / Qwen3Config. */
    private static List<Boolean> slidingLayers(JsonObject json, String architecture, int layers) {
        JsonElement window = json.has("sliding_window") ? json.get("sliding_window") : null;
        boolean windowSet = window == null || !window.isJsonNull(); // absent: transformers' default 4096
        List<Boolean> sliding = new ArrayList<>(Collections.nCopies(layers, false));
        switch (architecture) {
            case "MistralForCausalLM" -> Collections.fill(sliding, windowSet);
            case "Qwen2ForCausalLM", "Qwen3ForCausalLM" -> {
                JsonElement useWindow = json.get("use_sliding_window");  // absent or null: false, as transformers
                boolean used = useWindow != null && !useWindow.isJsonNull() && useWindow.getAsBoolean() && windowSet;
                JsonElement types = json.get("layer_types");
                if (types != null && !types.isJsonNull()) {
                    if (!types.isJsonArray() || types.getAsJsonArray().size() != layers) {
                        throw new IllegalArgumentException("layer_types must list one entry per layer (" + layers
                                + ")");
                    }
                    for (int i = 0; i < layers; i++) {
                        String type = types.getAsJsonArray().get(i).getAsString();
                        if (!type.equals("full_attention") && !type.equals("sliding_attention")) {
                            throw new IllegalArgumentException("layer_types[" + i + "] is " + type
                                    + "; supported: full_attention, sliding_attention");
                        }
                        sliding.set(i, type.equals("sliding_attention"));
                    }
                    if (sliding.contains(true) && !used) {
                        throw new IllegalArgumentException("layer_types has sliding_attention layers but "
                                + "use_sliding_window is false or sliding_window is null");
                    }
                } else if (used) {
                    int first = optionalInt(json, "max_window_layers", DEFAULT_MAX_WINDOW_LAYERS);
                    for (int i = Math.max(first, 0); i < layers; i++) {
                        sliding.set(i, true);
                    }
                }
            }
            default -> { } // Llama has no sliding window
        }
        return sliding;
    }

    private static int slidingWindow(JsonObject json) {
        return json.has("sliding_window") ? json.get("sliding_window").getAsInt() : DEFAULT_SLIDING_WINDOW;
    }

    private static RopeScaling ropeScaling(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        JsonObject o = element.getAsJsonObject();
        JsonElement type = o.has("rope_type") ? o.get("rope_type") : o.get("type");
        String name = type == null ? "default" : type.getAsString();
        if (name.equals("default")) {
            return null;
        }
        return new RopeScaling(name, optionalDouble(o, "factor", 1.0), optionalDouble(o, "low_freq_factor", 1.0),
                optionalDouble(o, "high_freq_factor", 4.0), optionalInt(o, "original_max_position_embeddings", 0));
    }

    private static int requiredInt(JsonObject json, String field) {
        JsonElement e = json.get(field);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return e.getAsInt();
    }

    private static int optionalInt(JsonObject json, String field, int fallback) {
        JsonElement e = json.get(field);
        return e == null || e.isJsonNull() ? fallback : e.getAsInt();
    }

    private static double optionalDouble(JsonObject json, String field, double fallback) {
        JsonElement e = json.get(field);
        return e == null || e.isJsonNull() ? fallback : e.getAsDouble();
    }
}
