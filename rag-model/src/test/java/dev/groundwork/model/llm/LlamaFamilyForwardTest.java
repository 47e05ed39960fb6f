package dev.groundwork.model.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiny random checkpoints of every supported family, written by the test, against the independent float64
 * {@link ReferenceForward}: logits of every position agree to 1e-4, and decoding through the KV cache gives the
 * same logits as recomputing the whole prefix.
 */
class LlamaFamilyForwardTest {

    private static final int[] TOKENS = {1, 7, 3, 22, 39, 5, 14, 30, 8, 11};
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path tmp;

    private static void assertClose(float[] actual, double[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        assertThat(max).as("max |difference| of " + what).isLessThan(TOLERANCE);
    }

    /** Loads the checkpoint and checks every position's logits against the reference. */
    private void checkAgainstReference(TinyCheckpoint.Spec spec, ReferenceForward reference) throws IOException {
        Path dir = tmp.resolve(spec.architecture() + "-" + spec.dtype() + "-" + spec.shards());
        TinyCheckpoint checkpoint = TinyCheckpoint.write(dir, spec);
        ReferenceForward ref = reference != null ? reference : new ReferenceForward(checkpoint);
        double[][] expected = ref.logits(TOKENS);
        // a sanity check that the test can fail: logits vary across positions and are not all tiny
        assertThat(Math.abs(expected[3][5] - expected[4][5]) + Math.abs(expected[3][5])).isGreaterThan(1e-2);
        try (CausalLm lm = CausalLm.load(dir, LoadOptions.cpu())) {
            float[][] actual = lm.logits(TOKENS);
            for (int t = 0; t < TOKENS.length; t++) {
                assertClose(actual[t], expected[t], spec.architecture() + " position " + t);
            }
        }
    }

    @Test
    void llamaWithTiedEmbeddings() throws IOException {
        checkAgainstReference(TinyCheckpoint.Spec.llama(), null);
    }

    @Test
    void qwen2WithQkvBiasesAndUntiedHead() throws IOException {
        checkAgainstReference(TinyCheckpoint.Spec.llama().with("architecture", "Qwen2ForCausalLM")
                .with("qkvBias", true).with("tied", false).with("seed", 2L), null);
    }

    @Test
    void qwen3WithQkNormAndWideHeads() throws IOException {
        // head_dim 16 with hidden 32 and 4 heads: q_proj is 64 wide, not hidden
        checkAgainstReference(TinyCheckpoint.Spec.llama().with("architecture", "Qwen3ForCausalLM")
                .with("qkNorm", true).with("headDim", 16).with("tied", false).with("seed", 3L), null);
    }

    @Test
    void mistralWithMultiQueryAttention() throws IOException {
        checkAgainstReference(TinyCheckpoint.Spec.llama().with("architecture", "MistralForCausalLM")
                .with("kvHeads", 1).with("tied", false).with("seed", 4L), null);
    }

    @Test
    void llama3RopeScaling() throws IOException {
        // head_dim 16, theta 1e4: wavelengths 6.3, 19.9, 62.8, 199, ... with original context 64 and factors 1/4
        // hit all three regimes (kept, interpolated, scaled)
        TinyCheckpoint.Spec spec = TinyCheckpoint.Spec.llama().with("headDim", 16).with("seed", 5L)
                .with("ropeScalingJson", "{\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,"
                        + "\"high_freq_factor\":4.0,\"original_max_position_embeddings\":64}");
        Path dir = tmp.resolve("llama3");
        TinyCheckpoint checkpoint = TinyCheckpoint.write(dir, spec);
        ReferenceForward scaled = new ReferenceForward(checkpoint, 8.0, 1.0, 4.0, 64);
        ReferenceForward unscaled = new ReferenceForward(checkpoint);
        // the scaling must matter at these positions, or this test would prove nothing
        assertThat(Math.abs(scaled.logits(TOKENS)[9][4] - unscaled.logits(TOKENS)[9][4])).isGreaterThan(1e-3);
        Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        checkAgainstReference(spec, scaled);
    }

    @Test
    void shardedCheckpointWithIndex() throws IOException {
        checkAgainstReference(TinyCheckpoint.Spec.llama().with("shards", 3).with("tied", false).with("seed", 6L),
                null);
    }

    @Test
    void bfloat16Weights() throws IOException {
        checkAgainstReference(TinyCheckpoint.Spec.llama().with("dtype", "BF16").with("architecture",
                "Qwen2ForCausalLM").with("qkvBias", true).with("seed", 7L), null);
    }

    @Test
    void float16Weights() throws IOException {
        checkAgainstReference(TinyCheckpoint.Spec.llama().with("dtype", "F16").with("seed", 8L), null);
    }

    /** Eleven tokens: more than the window of 4 the sliding tests use. */
    private static final int[] LONG_TOKENS = {1, 7, 3, 22, 39, 5, 14, 30, 8, 11, 26};

    @Test
    void mistralSlidingWindowSmallerThanThePrompt() throws IOException {
        checkSlidingWindow(TinyCheckpoint.Spec.llama().with("architecture", "MistralForCausalLM").with("kvHeads", 1)
                .with("tied", false).with("seed", 13L).with("slidingWindow", 4));
    }

    @Test
    void qwen2SlidingWindowAboveMaxWindowLayers() throws IOException {
        // three layers, max_window_layers 1: layer 0 attends fully, layers 1 and 2 through the window
        checkSlidingWindow(TinyCheckpoint.Spec.llama().with("architecture", "Qwen2ForCausalLM").with("qkvBias", true)
                .with("layers", 3).with("tied", false).with("seed", 14L).with("slidingWindow", 4)
                .with("maxWindowLayers", 1));
    }

    /**
     * The window must change the reference (or the test proves nothing); prefill logits match it; decoding past the
     * window through the KV cache equals recomputing the whole prefix.
     */
    private void checkSlidingWindow(TinyCheckpoint.Spec spec) throws IOException {
        Path dir = tmp.resolve("sliding-" + spec.architecture());
        TinyCheckpoint checkpoint = TinyCheckpoint.write(dir, spec);
        double[][] expected = new ReferenceForward(checkpoint).logits(LONG_TOKENS);
        TinyCheckpoint unwindowed = TinyCheckpoint.write(tmp.resolve("full-" + spec.architecture()),
                spec.with("slidingWindow", 0));
        double[][] full = new ReferenceForward(unwindowed).logits(LONG_TOKENS);
        int last = LONG_TOKENS.length - 1;
        assertThat(Math.abs(expected[last][5] - full[last][5])).as("the window changes the last logits")
                .isGreaterThan(1e-3);
        assertThat(Math.abs(expected[3][5] - full[3][5])).as("positions inside the window are unchanged")
                .isLessThan(1e-12);
        try (CausalLm lm = CausalLm.load(dir, LoadOptions.cpu())) {
            assertThat(lm.contextLength()).as("the window does not cap the context").isEqualTo(spec.context());
            float[][] actual = lm.logits(LONG_TOKENS);
            for (int t = 0; t < LONG_TOKENS.length; t++) {
                assertClose(actual[t], expected[t], spec.architecture() + " sliding, position " + t);
            }
            // prefill shorter and longer than the window, then decode one token at a time past it
            assertCachedEqualsFull(lm, LONG_TOKENS, 2);
            assertCachedEqualsFull(lm, LONG_TOKENS, 6);
        }
    }

    private static void assertCachedEqualsFull(CausalLm lm, int[] tokens, int prefill) {
        float[][] full = lm.logits(tokens);
        float[][] cached = lm.cachedLogits(tokens, prefill);
        assertThat(cached).hasDimensions(tokens.length - prefill + 1, full[0].length);
        for (int step = 0; step < cached.length; step++) {
            int position = prefill - 1 + step;
            double max = 0;
            for (int v = 0; v < full[position].length; v++) {
                max = Math.max(max, Math.abs(cached[step][v] - full[position][v]));
            }
            assertThat(max).as("cached vs full logits at position " + position + " after prefill " + prefill)
                    .isLessThan(1e-5);
        }
    }

    @Test
    void aPromptLongEnoughForTheConvolutionProductMatchesTheReference() throws IOException {
        // from CpuGemm.MIN_ROWS rows the projections go through oneDNN's 1×1 convolution instead of linear
        TinyCheckpoint.Spec spec = TinyCheckpoint.Spec.llama().with("architecture", "Qwen2ForCausalLM")
                .with("qkvBias", true).with("tied", false).with("context", 1024).with("seed", 21L);
        Path dir = tmp.resolve("long-prompt");
        TinyCheckpoint checkpoint = TinyCheckpoint.write(dir, spec);
        int[] tokens = longPrompt(CpuGemm.MIN_ROWS + 44);
        double[][] expected = new ReferenceForward(checkpoint).logits(tokens);
        try (CausalLm lm = CausalLm.load(dir, LoadOptions.cpu())) {
            float[][] actual = lm.logits(tokens);
            for (int t = 0; t < tokens.length; t += 13) {
                assertClose(actual[t], expected[t], "long prompt, position " + t);
            }
            assertClose(actual[tokens.length - 1], expected[tokens.length - 1], "long prompt, last position");
        }
    }

    @Test
    void chunkedPrefillPastTheSlidingWindowEqualsOnePass() throws IOException {
        // the second and third chunks start past the window: their masks are cut to the window's keys
        assertChunkedPrefillEqualsOnePass(TinyCheckpoint.Spec.llama().with("architecture", "MistralForCausalLM")
                .with("context", 1024).with("seed", 17L).with("slidingWindow", 40), "long-sliding");
    }

    @Test
    void kvCacheDecodingEqualsFullRecomputation() throws IOException {
        Path dir = tmp.resolve("cache");
        TinyCheckpoint.write(dir, TinyCheckpoint.Spec.llama().with("architecture", "Qwen3ForCausalLM")
                .with("qkNorm", true).with("headDim", 16).with("qkvBias", true).with("seed", 9L));
        try (CausalLm lm = CausalLm.load(dir, LoadOptions.cpu())) {
            float[][] full = lm.logits(TOKENS);
            int prefill = 4;
            float[][] cached = lm.cachedLogits(TOKENS, prefill);
            assertThat(cached).hasDimensions(TOKENS.length - prefill + 1, full[0].length);
            for (int step = 0; step < cached.length; step++) {
                int position = prefill - 1 + step;
                double max = 0;
                for (int v = 0; v < full[position].length; v++) {
                    max = Math.max(max, Math.abs(cached[step][v] - full[position][v]));
                }
                assertThat(max).as("cached vs full logits at position " + position).isLessThan(1e-5);
            }
        }
    }

    @Test
    void bfloat16CheckpointHeldInFloat16PrefillsExactly() throws IOException {
        // bf16 values fit fp16 exactly, and prefill multiplies with an fp32 copy: the reference tolerance holds
        TinyCheckpoint.Spec spec = TinyCheckpoint.Spec.llama().with("dtype", "BF16").with("tied", false)
                .with("seed", 12L);
        Path dir = tmp.resolve("bf16-as-f16");
        TinyCheckpoint checkpoint = TinyCheckpoint.write(dir, spec);
        double[][] expected = new ReferenceForward(checkpoint).logits(TOKENS);
        long fp32Bytes;
        try (CausalLm lm = CausalLm.load(dir, LoadOptions.cpu())) {
            fp32Bytes = lm.decodeBytesPerToken();
        }
        try (CausalLm lm = CausalLm.load(dir, LoadOptions.defaults("cpu"))) {
            assertThat(lm.decodeBytesPerToken()).as("AUTO holds a bf16 checkpoint's matrices in fp16")
                    .isLessThan(fp32Bytes * 6 / 10);
            float[][] actual = lm.logits(TOKENS);
            for (int t = 0; t < TOKENS.length; t++) {
                assertClose(actual[t], expected[t], "fp16-held bf16 position " + t);
            }
        }
    }

    @Test
    void chunkedPrefillOfALongPromptEqualsOnePass() throws IOException {
        assertChunkedPrefillEqualsOnePass(TinyCheckpoint.Spec.llama().with("context", 1024).with("seed", 16L), "long");
    }

    /** Two full prefill chunks and a part: the logits after chunked prefill equal those of one pass. */
    private void assertChunkedPrefillEqualsOnePass(TinyCheckpoint.Spec spec, String name) throws IOException {
        Path dir = tmp.resolve(name);
        TinyCheckpoint.write(dir, spec);
        int[] tokens = longPrompt(CausalLm.PREFILL_CHUNK * 2 + 37);
        try (CausalLm lm = CausalLm.load(dir, LoadOptions.cpu())) {
            float[][] onePass = lm.logits(tokens);
            float[][] chunked = lm.cachedLogits(tokens, tokens.length - 1);
            for (int step = 0; step < chunked.length; step++) {
                float[] expected = onePass[tokens.length - 2 + step];
                double max = 0;
                for (int v = 0; v < expected.length; v++) {
                    max = Math.max(max, Math.abs(chunked[step][v] - expected[v]));
                }
                assertThat(max).as(name + ": chunked prefill vs one pass, step " + step).isLessThan(1e-4);
            }
        }
    }

    /** A deterministic prompt of {@code length} tokens cycling through the tiny vocabulary. */
    private static int[] longPrompt(int length) {
        int[] tokens = new int[length];
        for (int i = 0; i < length; i++) {
            tokens[i] = 3 + (i * 7919) % 37;
        }
        return tokens;
    }

    @Test
    void halfPrecisionDecodeStaysCloseToFloat32() throws IOException {
        Path dir = tmp.resolve("half");
        TinyCheckpoint.write(dir, TinyCheckpoint.Spec.llama().with("seed", 10L));
        float[][] exact;
        try (CausalLm lm = CausalLm.load(dir, LoadOptions.cpu())) {
            exact = lm.cachedLogits(TOKENS, 3);
        }
        try (CausalLm lm = CausalLm.load(dir, new LoadOptions("cpu", 0, LoadOptions.CpuWeights.FLOAT16))) {
            float[][] half = lm.cachedLogits(TOKENS, 3);
            for (int step = 0; step < half.length; step++) {
                double max = 0;
                for (int v = 0; v < half[step].length; v++) {
                    max = Math.max(max, Math.abs(half[step][v] - exact[step][v]));
                }
                // fp16 weights (rounded from fp32) on one-token steps: close, but not identical (the path ran)
                assertThat(max).as("fp16 decode step " + step).isLessThan(0.15);
                if (step > 0) {
                    assertThat(max).isGreaterThan(0);
                }
            }
        }
    }
}
