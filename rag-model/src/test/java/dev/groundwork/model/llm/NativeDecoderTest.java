package dev.groundwork.model.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.groundwork.model.sample.SamplingParams;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decode steps computed by the native kernels ({@link NativeDecoder}) against the engine's ({@link Transformer})
 * and the float64 {@link ReferenceForward}, for every family's features: grouped-query heads of width 16 (the
 * AVX-512 attention path) and 8 (the generic one), Qwen2's biases, Qwen3's q/k norms, sliding windows, untied
 * heads, fp16 weights. Each model decodes several tokens after a prefill, so the cache the engine's prefill wrote
 * is read and extended by the native steps.
 */
class NativeDecoderTest {

    private static final int[] TOKENS = {1, 7, 3, 22, 39, 5, 14, 30, 8, 11, 26};
    private static final LoadOptions NATIVE = LoadOptions.cpu().withDecoder(LoadOptions.Decoder.NATIVE);
    private static final LoadOptions ENGINE = LoadOptions.cpu().withDecoder(LoadOptions.Decoder.ENGINE);

    @TempDir
    Path tmp;

    @BeforeAll
    static void libraryLoaded() {
        NativeKernelsTest.assumeLoaded();
    }

    private static double maxDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** Native decode steps after a prefill of 3 equal the engine's to float rounding, at every step. */
    private void assertNativeEqualsEngine(TinyCheckpoint.Spec spec, String name) throws IOException {
        assertNativeEqualsEngine(spec, name, LoadOptions.CpuWeights.FLOAT32, Int8Matrix.DEFAULT_GROUP);
    }

    private void assertNativeEqualsEngine(TinyCheckpoint.Spec spec, String name, LoadOptions.CpuWeights weights,
            int int8Group) throws IOException {
        Path dir = tmp.resolve(name);
        TinyCheckpoint.write(dir, spec);
        float[][] engine;
        try (CausalLm lm = CausalLm.load(dir, new LoadOptions("cpu", 0, weights, LoadOptions.Decoder.ENGINE),
                int8Group)) {
            assertThat(lm.decoderDescription()).startsWith("DJL engine");
            engine = lm.cachedLogits(TOKENS, 3);
        }
        try (CausalLm lm = CausalLm.load(dir, new LoadOptions("cpu", 0, weights, LoadOptions.Decoder.NATIVE),
                int8Group)) {
            assertThat(lm.decoderDescription()).startsWith("native kernels");
            float[][] nativeSteps = lm.cachedLogits(TOKENS, 3);
            assertThat(nativeSteps).hasSameDimensionsAs(engine);
            for (int step = 1; step < engine.length; step++) { // step 0 is the shared prefill
                // float rounding of sums taken in another order (seen: up to 1e-5 on logits of 5-15); a wrong
                // position, mask or head is off by 1e-2 or more
                double largest = maxDifference(engine[step], new float[engine[step].length]);
                assertThat(maxDifference(nativeSteps[step], engine[step])).as(name + " step " + step)
                        .isLessThan(3e-6 * Math.max(1, largest) + 5e-6);
            }
            // and the logits are not trivially equal because both are zero
            assertThat(maxDifference(nativeSteps[4], new float[nativeSteps[4].length])).isGreaterThan(1e-2);
        }
    }

    @Test
    void llamaGroupedQueryAttentionWithWideHeads() throws IOException {
        assertNativeEqualsEngine(TinyCheckpoint.Spec.llama().with("headDim", 16).with("seed", 31L), "llama16");
    }

    @Test
    void llamaNarrowHeadsTiedEmbeddings() throws IOException {
        assertNativeEqualsEngine(TinyCheckpoint.Spec.llama().with("seed", 32L), "llama8");
    }

    @Test
    void qwen2BiasesAndUntiedHead() throws IOException {
        assertNativeEqualsEngine(TinyCheckpoint.Spec.llama().with("architecture", "Qwen2ForCausalLM")
                .with("qkvBias", true).with("tied", false).with("seed", 33L), "qwen2");
    }

    @Test
    void qwen3QkNorm() throws IOException {
        assertNativeEqualsEngine(TinyCheckpoint.Spec.llama().with("architecture", "Qwen3ForCausalLM")
                .with("qkNorm", true).with("headDim", 16).with("tied", false).with("seed", 34L), "qwen3");
    }

    @Test
    void mistralSlidingWindowPastThePrompt() throws IOException {
        // window 4, 11 tokens: the later steps attend to the last 4 positions only
        assertNativeEqualsEngine(TinyCheckpoint.Spec.llama().with("architecture", "MistralForCausalLM")
                .with("kvHeads", 1).with("headDim", 16).with("tied", false).with("slidingWindow", 4)
                .with("seed", 35L), "mistral-sliding");
    }

    @Test
    void qwen2SlidingOnSomeLayers() throws IOException {
        assertNativeEqualsEngine(TinyCheckpoint.Spec.llama().with("architecture", "Qwen2ForCausalLM")
                .with("qkvBias", true).with("layers", 3).with("tied", false).with("slidingWindow", 4)
                .with("maxWindowLayers", 1).with("seed", 36L), "qwen2-sliding");
    }

    @Test
    void fp16WeightsDecodeToTheFloat64ReferenceOfThoseWeights() throws IOException {
        // stored in F16, so the reference sees exactly the values held; the native steps accumulate in fp32, so
        // they meet the reference tolerance that the engine's fp16 activations (rounded to 11 bits) would not
        Path dir = tmp.resolve("f16");
        TinyCheckpoint checkpoint = TinyCheckpoint.write(dir, TinyCheckpoint.Spec.llama().with("dtype", "F16")
                .with("headDim", 16).with("architecture", "Qwen2ForCausalLM").with("qkvBias", true)
                .with("seed", 37L));
        double[][] expected = new ReferenceForward(checkpoint).logits(TOKENS);
        // the prompt's products on the engine in fp32 (AMX's split bf16 would add ~1e-5 relative, NativePrefillTest)
        LoadOptions half = new LoadOptions("cpu", 0, LoadOptions.CpuWeights.FLOAT16, LoadOptions.Decoder.NATIVE,
                LoadOptions.Prefill.ENGINE);
        try (CausalLm lm = CausalLm.load(dir, half)) {
            float[][] steps = lm.cachedLogits(TOKENS, 3);
            for (int step = 1; step < steps.length; step++) {
                int position = 3 - 1 + step;
                double max = 0;
                for (int v = 0; v < steps[step].length; v++) {
                    max = Math.max(max, Math.abs(steps[step][v] - expected[position][v]));
                }
                assertThat(max).as("fp16 native step at position " + position).isLessThan(1e-4);
            }
        }
    }

    @Test
    void greedyGenerationIsTheSameTokensOnBothDecoders() throws IOException {
        Path dir = tmp.resolve("generate");
        TinyCheckpoint.write(dir, TinyCheckpoint.Spec.llama().with("headDim", 16).with("seed", 38L));
        long[] prompt = {1, 7, 3};
        Generation engine;
        Generation nativeRun;
        try (CausalLm lm = CausalLm.load(dir, ENGINE)) {
            engine = lm.generate(prompt, SamplingParams.greedy(40), piece -> true);
        }
        try (CausalLm lm = CausalLm.load(dir, NATIVE)) {
            nativeRun = lm.generate(prompt, SamplingParams.greedy(40), piece -> true);
        }
        assertThat(nativeRun.tokenIds()).hasSize(engine.tokenIds().size()).isEqualTo(engine.tokenIds());
    }

    @Test
    void int8WeightsDecodeAsTheEngineDequantizesThem() throws IOException {
        // group 16 divides the hidden width (the vectorized kernel), a 48-wide MLP row is 3 groups; both decoders
        // multiply the same int8 values and scales
        assertNativeEqualsEngine(TinyCheckpoint.Spec.llama().with("architecture", "Qwen2ForCausalLM")
                .with("qkvBias", true).with("headDim", 16).with("tied", false).with("seed", 39L), "int8",
                LoadOptions.CpuWeights.INT8, 16);
        // and the tied table, looked up and projected through, with a group of whole rows (40 does not divide 32)
        assertNativeEqualsEngine(TinyCheckpoint.Spec.llama().with("seed", 40L), "int8-tied",
                LoadOptions.CpuWeights.INT8, 40);
    }

    @Test
    void decoderNamesParse() {
        assertThat(LoadOptions.Decoder.fromName(" Native ")).isEqualTo(LoadOptions.Decoder.NATIVE);
        assertThat(LoadOptions.Decoder.fromName("engine")).isEqualTo(LoadOptions.Decoder.ENGINE);
        assertThatThrownBy(() -> LoadOptions.Decoder.fromName("gpu")).hasMessageContaining("auto, native or engine");
        assertThat(LoadOptions.Prefill.fromName(" AMX ")).isEqualTo(LoadOptions.Prefill.AMX);
        assertThat(LoadOptions.Prefill.fromName("amx-bf16")).isEqualTo(LoadOptions.Prefill.AMX_BF16);
        assertThatThrownBy(() -> LoadOptions.Prefill.fromName("gpu"))
                .hasMessageContaining("auto, amx, amx-bf16, native or engine");
    }

    @Test
    void aNativePrefillWithoutAmxKeepsFp32Accuracy(@TempDir Path tmp) throws IOException {
        // products on AVX-512 FMA (or, held to AVX2, the engine's), attention, norms, rotary embeddings and SwiGLU on
        // the native kernels: within the fp32 tolerance of LlamaFamilyForwardTest, with sliding windows, q/k norms
        // and two prefill chunks
        assertThat(NativePrefillTest.slidingWindowsQkNormsAndChunksError(tmp, LoadOptions.Prefill.NATIVE,
                NativeKernels.AVX512)).as("up to AVX-512").isLessThan(1e-4);
        assertThat(NativePrefillTest.slidingWindowsQkNormsAndChunksError(tmp, LoadOptions.Prefill.NATIVE,
                NativeKernels.AVX2)).as("up to AVX2").isLessThan(1e-4);
    }

    @Test
    void anAmxPrefillWhereThereIsNoAmxIsRefusedByName(@TempDir Path tmp) throws IOException {
        assumeTrue(!NativeKernels.amxAvailable(), "this processor has AMX");
        Path dir = tmp.resolve("f16");
        TinyCheckpoint.write(dir, TinyCheckpoint.Spec.llama().with("dtype", "F16").with("seed", 58L));
        assertThatThrownBy(() -> CausalLm.load(dir, new LoadOptions("cpu", 0, LoadOptions.CpuWeights.FLOAT16,
                LoadOptions.Decoder.NATIVE, LoadOptions.Prefill.AMX)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefill amx requested but unavailable");
    }
}
