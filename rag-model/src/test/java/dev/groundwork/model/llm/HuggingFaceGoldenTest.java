package dev.groundwork.model.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hugging Face transformers as a second reference: tiny checkpoints (fixed seeds, re-created here byte for byte)
 * were run through {@code AutoModelForCausalLM} in float32 with eager attention by
 * {@code scripts/dev/hf_reference_logits.py}, and its logits of every position are committed under
 * {@code src/test/resources/hf-golden/}. Our logits must match them to 1e-4, from one prefill of all the tokens and
 * when decoding them one at a time through the KV cache.
 *
 * <p>To regenerate: {@code -Dgroundwork.dumpCheckpoints=DIR} makes {@link #dumpCheckpoints()} write the checkpoints
 * and their tokens to {@code DIR/<name>/}; then run the script on them (see its docstring and the README there).
 */
class HuggingFaceGoldenTest {

    private static final double TOLERANCE = 1e-4;
    private static final int[] TOKENS = {1, 7, 3, 22, 39, 5, 14, 30, 8, 11};
    /** Longer than the window of 4 so that the window matters. */
    private static final int[] SLIDING_TOKENS = {1, 7, 3, 22, 39, 5, 14, 30, 8, 11, 26};

    /** A golden: the checkpoint and the tokens it was run on. */
    private record Golden(TinyCheckpoint.Spec spec, int[] tokens) {
    }

    private static final Map<String, Golden> GOLDENS = goldens();

    private static Map<String, Golden> goldens() {
        TinyCheckpoint.Spec llama = TinyCheckpoint.Spec.llama();
        Map<String, Golden> m = new LinkedHashMap<>();
        // wavelengths 6.3 … 6283 against an original context of 64 hit all three llama3 regimes; tied lm_head
        m.put("llama-llama3-rope", new Golden(llama.with("headDim", 16).with("context", 512).with("seed", 101L)
                .with("ropeScalingJson", "{\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,"
                        + "\"high_freq_factor\":4.0,\"original_max_position_embeddings\":64}"), TOKENS));
        m.put("qwen2-bias", new Golden(llama.with("architecture", "Qwen2ForCausalLM").with("qkvBias", true)
                .with("tied", false).with("seed", 102L), TOKENS));
        m.put("qwen3-qk-norm", new Golden(llama.with("architecture", "Qwen3ForCausalLM").with("qkNorm", true)
                .with("headDim", 16).with("tied", false).with("seed", 103L), TOKENS));
        m.put("mistral-sliding-window", new Golden(llama.with("architecture", "MistralForCausalLM")
                .with("kvHeads", 1).with("tied", false).with("slidingWindow", 4).with("seed", 104L), SLIDING_TOKENS));
        m.put("qwen2-sliding-window", new Golden(llama.with("architecture", "Qwen2ForCausalLM").with("qkvBias", true)
                .with("layers", 3).with("slidingWindow", 4).with("maxWindowLayers", 1).with("tied", false)
                .with("seed", 105L), SLIDING_TOKENS));
        return m;
    }

    static Iterable<String> goldenNames() {
        return GOLDENS.keySet();
    }

    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource("goldenNames")
    void logitsMatchTransformers(String name) throws IOException {
        Golden golden = GOLDENS.get(name);
        JsonObject hf = readGolden(name);
        assertThat(ints(hf.getAsJsonArray("tokens"))).as(name + " tokens").containsExactly(golden.tokens());
        Path dir = tmp.resolve(name);
        TinyCheckpoint.write(dir, golden.spec());
        assertThat(sha256(dir.resolve("model.safetensors")))
                .as(name + ": TinyCheckpoint now writes other weights than transformers ran; regenerate the goldens")
                .isEqualTo(hf.getAsJsonObject("weights_sha256").get("model.safetensors").getAsString());

        try (CausalLm lm = CausalLm.load(dir, LoadOptions.cpu())) {
            assertSameAttentionLayout(name, lm.config(), hf.getAsJsonObject("hf_config"));
            float[][] ours = lm.logits(golden.tokens());
            JsonArray theirs = hf.getAsJsonArray("logits");
            assertThat(theirs.size()).isEqualTo(ours.length);
            double spread = 0;
            for (int t = 0; t < ours.length; t++) {
                JsonArray row = theirs.get(t).getAsJsonArray();
                assertThat(row.size()).isEqualTo(ours[t].length);
                double max = 0;
                for (int v = 0; v < ours[t].length; v++) {
                    double expected = row.get(v).getAsDouble();
                    max = Math.max(max, Math.abs(ours[t][v] - expected));
                    spread = Math.max(spread, Math.abs(expected));
                }
                assertThat(max).as(name + ": max |ours - transformers| at position " + t).isLessThan(TOLERANCE);
            }
            assertThat(spread).as(name + ": logits are not all ~0 (the comparison could fail)").isGreaterThan(0.1);
            // the decode path too: prefill two tokens, then one at a time through the KV cache (past the window)
            float[][] decoded = lm.cachedLogits(golden.tokens(), 2);
            for (int step = 0; step < decoded.length; step++) {
                JsonArray row = theirs.get(1 + step).getAsJsonArray();
                double max = 0;
                for (int v = 0; v < decoded[step].length; v++) {
                    max = Math.max(max, Math.abs(decoded[step][v] - row.get(v).getAsDouble()));
                }
                assertThat(max).as(name + ": decoded vs transformers at position " + (1 + step)).isLessThan(TOLERANCE);
            }
        }
    }

    /** Our per-layer sliding flags and window are the ones transformers derived from the same config.json. */
    private static void assertSameAttentionLayout(String name, ModelConfig ours, JsonObject hf) {
        JsonElement window = hf.get("sliding_window");
        JsonElement types = hf.get("layer_types");
        for (int layer = 0; layer < ours.numLayers(); layer++) {
            boolean theirs = types != null && !types.isJsonNull()
                    ? types.getAsJsonArray().get(layer).getAsString().equals("sliding_attention")
                    : window != null && !window.isJsonNull(); // Mistral: every layer when the window is set
            assertThat(ours.sliding(layer)).as(name + ": layer " + layer + " slides").isEqualTo(theirs);
        }
        if (ours.slidingLayers().contains(true)) {
            assertThat(ours.slidingWindow()).as(name + ": sliding window").isEqualTo(window.getAsInt());
        }
    }

    /**
     * Writes every golden checkpoint and its tokens as the Python script reads them: into
     * {@code -Dgroundwork.dumpCheckpoints=DIR} when regenerating the goldens, else into a temporary folder, so the
     * dump stays exercised: each folder must hold what transformers ran (same weights, same tokens).
     */
    @Test
    void dumpCheckpoints() throws IOException {
        String target = System.getProperty("groundwork.dumpCheckpoints");
        Path root = target == null || target.isBlank() ? tmp.resolve("dump") : Path.of(target);
        for (Map.Entry<String, Golden> e : GOLDENS.entrySet()) {
            Path dir = root.resolve(e.getKey());
            TinyCheckpoint.write(dir, e.getValue().spec());
            Files.writeString(dir.resolve("tokens.json"), Arrays.toString(e.getValue().tokens()));
            JsonObject hf = readGolden(e.getKey());
            assertThat(sha256(dir.resolve("model.safetensors"))).as(e.getKey() + " weights")
                    .isEqualTo(hf.getAsJsonObject("weights_sha256").get("model.safetensors").getAsString());
            assertThat(ints(JsonParser.parseString(Files.readString(dir.resolve("tokens.json"))).getAsJsonArray()))
                    .as(e.getKey() + " tokens").containsExactly(ints(hf.getAsJsonArray("tokens")));
            assertThat(JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject()
                    .get("architectures").getAsJsonArray().get(0).getAsString())
                    .isEqualTo(hf.get("architecture").getAsString());
        }
    }

    private static JsonObject readGolden(String name) throws IOException {
        String resource = "/hf-golden/" + name + ".json";
        try (InputStream in = HuggingFaceGoldenTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("golden " + resource + " (see scripts/dev/hf_reference_logits.py)").isNotNull();
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    private static int[] ints(JsonArray array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsInt();
        }
        return out;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
