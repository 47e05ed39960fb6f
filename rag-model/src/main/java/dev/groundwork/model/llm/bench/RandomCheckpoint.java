package dev.groundwork.model.llm.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * Writes a random-weight bf16 checkpoint in the Hugging Face layout with a given shape, streaming the data to disk
 * (nothing of the size of the model is held in memory). For benchmarks only: the weights are noise.
 *
 * @param name a label, e.g. {@code qwen2.5-0.5b}
 */
public record RandomCheckpoint(String name, String architecture, int hidden, int intermediate, int layers, int heads,
        int kvHeads, int vocab, boolean tied, boolean qkvBias, int context) {

    /** Qwen2.5-0.5B: 494 M parameters. */
    public static RandomCheckpoint qwen25HalfB() {
        return new RandomCheckpoint("qwen2.5-0.5b", "Qwen2ForCausalLM", 896, 4864, 24, 14, 2, 151936, true, true,
                32768);
    }

    /** TinyLlama-1.1B: 1.1 B parameters. */
    public static RandomCheckpoint tinyLlama() {
        return new RandomCheckpoint("tinyllama-1.1b", "LlamaForCausalLM", 2048, 5632, 22, 32, 4, 32000, false, false,
                2048);
    }

    public void write(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        int headDim = hidden / heads;
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", new long[] {vocab, hidden});
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            shapes.put(p + "input_layernorm.weight", new long[] {hidden});
            shapes.put(p + "self_attn.q_proj.weight", new long[] {(long) heads * headDim, hidden});
            shapes.put(p + "self_attn.k_proj.weight", new long[] {(long) kvHeads * headDim, hidden});
            shapes.put(p + "self_attn.v_proj.weight", new long[] {(long) kvHeads * headDim, hidden});
            if (qkvBias) {
                shapes.put(p + "self_attn.q_proj.bias", new long[] {(long) heads * headDim});
                shapes.put(p + "self_attn.k_proj.bias", new long[] {(long) kvHeads * headDim});
                shapes.put(p + "self_attn.v_proj.bias", new long[] {(long) kvHeads * headDim});
            }
            shapes.put(p + "self_attn.o_proj.weight", new long[] {hidden, (long) heads * headDim});
            shapes.put(p + "post_attention_layernorm.weight", new long[] {hidden});
            shapes.put(p + "mlp.gate_proj.weight", new long[] {intermediate, hidden});
            shapes.put(p + "mlp.up_proj.weight", new long[] {intermediate, hidden});
            shapes.put(p + "mlp.down_proj.weight", new long[] {hidden, intermediate});
        }
        shapes.put("model.norm.weight", new long[] {hidden});
        if (!tied) {
            shapes.put("lm_head.weight", new long[] {vocab, hidden});
        }
        StringJoiner header = new StringJoiner(",", "{", "}");
        long offset = 0;
        List<Long> counts = new ArrayList<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long n = 1;
            StringJoiner shape = new StringJoiner(",", "[", "]");
            for (long d : e.getValue()) {
                n *= d;
                shape.add(Long.toString(d));
            }
            counts.add(n);
            header.add("\"" + e.getKey() + "\":{\"dtype\":\"BF16\",\"shape\":" + shape + ",\"data_offsets\":["
                    + offset + "," + (offset + 2 * n) + "]}");
            offset += 2 * n;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        SplittableRandom random = new SplittableRandom(seed);
        try (FileChannel out = FileChannel.open(dir.resolve("model.safetensors"), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(json);
            while (head.hasRemaining()) {
                head.put((byte) ' ');
            }
            writeAll(out, head.flip());
            ByteBuffer buffer = ByteBuffer.allocateDirect(8 << 20).order(ByteOrder.LITTLE_ENDIAN);
            int index = 0;
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                boolean norm = e.getKey().endsWith("norm.weight");
                // norms near 1, everything else uniform in ±0.05: activations stay finite through 24 layers
                for (long i = 0, n = counts.get(index++); i < n; i++) {
                    float v = norm ? 1f : (float) ((random.nextDouble() - 0.5) * 0.1);
                    buffer.putShort((short) (Float.floatToIntBits(v) >>> 16));
                    if (!buffer.hasRemaining()) {
                        writeAll(out, buffer.flip());
                        buffer.clear();
                    }
                }
            }
            writeAll(out, buffer.flip());
        }
        // model_type as Hugging Face writes it, so transformers loads the same folder (scripts/dev/hf_decode_bench.py)
        String modelType = architecture.replace("ForCausalLM", "").toLowerCase(java.util.Locale.ROOT);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\":\"" + modelType + "\","
                + "\"architectures\":[\"" + architecture + "\"],"
                + "\"hidden_size\":" + hidden + ",\"intermediate_size\":" + intermediate + ",\"num_hidden_layers\":"
                + layers + ",\"num_attention_heads\":" + heads + ",\"num_key_value_heads\":" + kvHeads
                + ",\"vocab_size\":" + vocab + ",\"max_position_embeddings\":" + context
                + ",\"rms_norm_eps\":1e-6,\"rope_theta\":1000000.0,\"tie_word_embeddings\":" + tied + "}");
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\":[]}");
        Files.writeString(dir.resolve("tokenizer.json"), wordLevelTokenizer(vocab));
    }

    private static void writeAll(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** A word-level tokenizer with one word per id ({@code w0 … wN}); the benchmark feeds ids directly. */
    private static String wordLevelTokenizer(int vocab) {
        StringJoiner words = new StringJoiner(",", "{", "}");
        for (int i = 0; i < vocab; i++) {
            words.add("\"w" + i + "\":" + i);
        }
        return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],\"normalizer\":null,"
                + "\"pre_tokenizer\":{\"type\":\"WhitespaceSplit\"},\"post_processor\":null,\"decoder\":null,"
                + "\"model\":{\"type\":\"WordLevel\",\"vocab\":" + words + ",\"unk_token\":\"w0\"}}";
    }
}
