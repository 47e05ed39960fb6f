package dev.groundwork.model.llm;

import dev.groundwork.model.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;

/**
 * A tiny random checkpoint in the Hugging Face layout, written by the tests: config.json, generation_config.json,
 * a word-level tokenizer.json and safetensors weights (single or sharded, F32, F16 or BF16). The exact stored
 * values are kept as doubles (decoded here independently of the reader) for the float64 reference.
 */
final class TinyCheckpoint {

    /** The shape and options of a checkpoint. */
    record Spec(String architecture, int hidden, int intermediate, int layers, int heads, int kvHeads, int headDim,
            int vocab, int context, boolean tied, boolean qkvBias, boolean qkNorm, String ropeScalingJson,
            String dtype, int shards, long seed, int slidingWindow, int maxWindowLayers) {

        static Spec llama() {
            return new Spec("LlamaForCausalLM", 32, 48, 2, 4, 2, 8, 40, 64, true, false, false, null, "F32", 1, 1,
                    0, 0);
        }

        /**
         * Whether {@code layer} attends through the window, by the rule of the config.json this spec writes:
         * Mistral every layer, Qwen2/Qwen3 layers from {@code maxWindowLayers} on, Llama none.
         */
        boolean sliding(int layer) {
            if (slidingWindow == 0) {
                return false;
            }
            return switch (architecture) {
                case "MistralForCausalLM" -> true;
                case "Qwen2ForCausalLM", "Qwen3ForCausalLM" -> layer >= maxWindowLayers;
                default -> false;
            };
        }

        Spec with(String field, Object value) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("architecture", architecture);
            m.put("hidden", hidden);
            m.put("intermediate", intermediate);
            m.put("layers", layers);
            m.put("heads", heads);
            m.put("kvHeads", kvHeads);
            m.put("headDim", headDim);
            m.put("vocab", vocab);
            m.put("context", context);
            m.put("tied", tied);
            m.put("qkvBias", qkvBias);
            m.put("qkNorm", qkNorm);
            m.put("ropeScalingJson", ropeScalingJson);
            m.put("dtype", dtype);
            m.put("shards", shards);
            m.put("seed", seed);
            m.put("slidingWindow", slidingWindow);
            m.put("maxWindowLayers", maxWindowLayers);
            if (!m.containsKey(field)) {
                throw new IllegalArgumentException(field);
            }
            m.put(field, value);
            return new Spec((String) m.get("architecture"), (int) m.get("hidden"), (int) m.get("intermediate"),
                    (int) m.get("layers"), (int) m.get("heads"), (int) m.get("kvHeads"), (int) m.get("headDim"),
                    (int) m.get("vocab"), (int) m.get("context"), (boolean) m.get("tied"), (boolean) m.get("qkvBias"),
                    (boolean) m.get("qkNorm"), (String) m.get("ropeScalingJson"), (String) m.get("dtype"),
                    (int) m.get("shards"), ((Number) m.get("seed")).longValue(), (int) m.get("slidingWindow"),
                    (int) m.get("maxWindowLayers"));
        }
    }

    final Spec spec;
    /** Stored values of every tensor, decoded to double. */
    final Map<String, double[]> values = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Random random;

    private TinyCheckpoint(Spec spec) {
        this.spec = spec;
        this.random = new Random(spec.seed());
    }

    static TinyCheckpoint write(Path dir, Spec s) throws IOException {
        TinyCheckpoint c = new TinyCheckpoint(s);
        c.generate();
        c.writeFiles(dir);
        return c;
    }

    private void generate() {
        int q = spec.heads() * spec.headDim();
        int kv = spec.kvHeads() * spec.headDim();
        tensor("model.embed_tokens.weight", 0.0, 0.5, spec.vocab(), spec.hidden());
        for (int i = 0; i < spec.layers(); i++) {
            String p = "model.layers." + i + ".";
            tensor(p + "input_layernorm.weight", 1.0, 0.1, spec.hidden());
            tensor(p + "self_attn.q_proj.weight", 0.0, 0.3, q, spec.hidden());
            tensor(p + "self_attn.k_proj.weight", 0.0, 0.3, kv, spec.hidden());
            tensor(p + "self_attn.v_proj.weight", 0.0, 0.3, kv, spec.hidden());
            if (spec.qkvBias()) {
                tensor(p + "self_attn.q_proj.bias", 0.0, 0.2, q);
                tensor(p + "self_attn.k_proj.bias", 0.0, 0.2, kv);
                tensor(p + "self_attn.v_proj.bias", 0.0, 0.2, kv);
            }
            if (spec.qkNorm()) {
                tensor(p + "self_attn.q_norm.weight", 1.0, 0.1, spec.headDim());
                tensor(p + "self_attn.k_norm.weight", 1.0, 0.1, spec.headDim());
            }
            tensor(p + "self_attn.o_proj.weight", 0.0, 0.3, spec.hidden(), q);
            tensor(p + "post_attention_layernorm.weight", 1.0, 0.1, spec.hidden());
            tensor(p + "mlp.gate_proj.weight", 0.0, 0.3, spec.intermediate(), spec.hidden());
            tensor(p + "mlp.up_proj.weight", 0.0, 0.3, spec.intermediate(), spec.hidden());
            tensor(p + "mlp.down_proj.weight", 0.0, 0.3, spec.hidden(), spec.intermediate());
        }
        tensor("model.norm.weight", 1.0, 0.1, spec.hidden());
        if (!spec.tied()) {
            tensor("lm_head.weight", 0.0, 0.3, spec.vocab(), spec.hidden());
        }
    }

    private void tensor(String name, double mean, double std, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * random.nextGaussian();
        }
        values.put(name, v);
        shapes.put(name, shape);
    }

    private void writeFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<SafetensorsWriter> writers = new ArrayList<>();
        for (int i = 0; i < spec.shards(); i++) {
            writers.add(new SafetensorsWriter());
        }
        StringJoiner weightMap = new StringJoiner(",", "{", "}");
        int i = 0;
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            int shard = i++ % spec.shards();
            encode(writers.get(shard), e.getKey(), shapes.get(e.getKey()), e.getValue());
            weightMap.add("\"" + e.getKey() + "\":\"" + shardName(shard) + "\"");
        }
        if (spec.shards() == 1) {
            writers.get(0).write(dir.resolve("model.safetensors"));
        } else {
            for (int s = 0; s < spec.shards(); s++) {
                writers.get(s).write(dir.resolve(shardName(s)));
            }
            Files.writeString(dir.resolve("model.safetensors.index.json"),
                    "{\"metadata\":{\"total_size\":0},\"weight_map\":" + weightMap + "}");
        }
        Files.writeString(dir.resolve("config.json"), configJson());
        Files.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\":1,\"eos_token_id\":[2]}");
        Files.writeString(dir.resolve("tokenizer.json"), wordLevelTokenizer(spec.vocab()));
    }

    private String shardName(int shard) {
        return String.format("model-%05d-of-%05d.safetensors", shard + 1, spec.shards());
    }

    /** Rounds each value to the dtype and stores the rounded value back, decoded independently of the reader. */
    private void encode(SafetensorsWriter w, String name, long[] shape, double[] v) {
        switch (spec.dtype()) {
            case "F32" -> {
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    f[i] = (float) v[i];
                    v[i] = f[i];
                }
                w.addF32(name, shape, f);
            }
            case "BF16" -> {
                short[] bits = new short[v.length];
                for (int i = 0; i < v.length; i++) {
                    bits[i] = (short) (Float.floatToIntBits((float) v[i]) >>> 16);
                    v[i] = decode(bits[i], 8, 7);
                }
                w.addBits16(name, "BF16", shape, bits);
            }
            case "F16" -> {
                short[] bits = new short[v.length];
                for (int i = 0; i < v.length; i++) {
                    bits[i] = toHalf(v[i]);
                    v[i] = decode(bits[i], 5, 10);
                }
                w.addBits16(name, "F16", shape, bits);
            }
            default -> throw new IllegalArgumentException(spec.dtype());
        }
    }

    /** Value of a 16-bit float with the given exponent and mantissa widths (normal numbers and zero). */
    static double decode(short bits, int exponentBits, int mantissaBits) {
        int b = bits & 0xffff;
        int sign = b >>> 15;
        int exponent = (b >>> mantissaBits) & ((1 << exponentBits) - 1);
        int mantissa = b & ((1 << mantissaBits) - 1);
        int bias = (1 << (exponentBits - 1)) - 1;
        double magnitude = exponent == 0
                ? mantissa * Math.pow(2, 1 - bias - mantissaBits)
                : (1 + mantissa / Math.pow(2, mantissaBits)) * Math.pow(2, exponent - bias);
        return sign == 1 ? -magnitude : magnitude;
    }

    /** Nearest binary16 for moderate values (tiny ones flush to zero: these tests need no subnormals). */
    private static short toHalf(double x) {
        double a = Math.abs(x);
        int sign = x < 0 ? 0x8000 : 0;
        if (a < 0x1p-14) {
            return (short) sign;
        }
        int e = Math.getExponent(a);
        long m = Math.round((a / Math.pow(2, e) - 1) * 1024);
        if (m == 1024) {
            m = 0;
            e++;
        }
        return (short) (sign | ((e + 15) << 10) | m);
    }

    private String configJson() {
        // model_type as real checkpoints have it: transformers' AutoConfig needs it (hf_reference_logits.py)
        String modelType = spec.architecture().replace("ForCausalLM", "").toLowerCase(java.util.Locale.ROOT);
        return "{\"architectures\":[\"" + spec.architecture() + "\"],\"model_type\":\"" + modelType + "\""
                + ",\"hidden_size\":" + spec.hidden()
                + ",\"intermediate_size\":" + spec.intermediate() + ",\"num_hidden_layers\":" + spec.layers()
                + ",\"num_attention_heads\":" + spec.heads() + ",\"num_key_value_heads\":" + spec.kvHeads()
                + ",\"head_dim\":" + spec.headDim() + ",\"vocab_size\":" + spec.vocab()
                + ",\"max_position_embeddings\":" + spec.context() + ",\"rms_norm_eps\":1e-6,\"rope_theta\":10000.0"
                + ",\"tie_word_embeddings\":" + spec.tied() + ",\"bos_token_id\":1,\"eos_token_id\":2"
                + (spec.ropeScalingJson() == null ? "" : ",\"rope_scaling\":" + spec.ropeScalingJson())
                + slidingWindowJson() + "}";
    }

    /** Mistral: sliding_window or null; Qwen2/Qwen3: use_sliding_window, sliding_window, max_window_layers. */
    private String slidingWindowJson() {
        String window = spec.slidingWindow() == 0 ? "null" : Integer.toString(spec.slidingWindow());
        return switch (spec.architecture()) {
            case "MistralForCausalLM" -> ",\"sliding_window\":" + window;
            case "Qwen2ForCausalLM", "Qwen3ForCausalLM" -> ",\"use_sliding_window\":" + (spec.slidingWindow() > 0)
                    + ",\"sliding_window\":" + window + ",\"max_window_layers\":" + spec.maxWindowLayers();
            default -> "";
        };
    }

    /** Words {@code w3 … w(V-1)} plus {@code <unk> <s> </s>}, split on whitespace, no special tokens added. */
    static String wordLevelTokenizer(int vocab) {
        StringJoiner words = new StringJoiner(",", "{", "}");
        words.add("\"<unk>\":0").add("\"<s>\":1").add("\"</s>\":2");
        for (int i = 3; i < vocab; i++) {
            words.add("\"w" + i + "\":" + i);
        }
        return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":["
                + "{\"id\":1,\"content\":\"<s>\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,"
                + "\"normalized\":false,\"special\":true},"
                + "{\"id\":2,\"content\":\"</s>\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,"
                + "\"normalized\":false,\"special\":true}],"
                + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"WhitespaceSplit\"},\"post_processor\":null,"
                + "\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":" + words
                + ",\"unk_token\":\"<unk>\"}}";
    }
}
