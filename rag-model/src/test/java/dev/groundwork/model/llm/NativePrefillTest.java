package dev.groundwork.model.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AMX prompt products ({@code gemm_amx.c}, {@link NativePrefill}) against float64 references: every weight storage
 * (fp16, fp32, int8 with group scales), with and without bias, shapes whose rows, outputs and columns are not
 * multiples of the 32-wide tiles, and whole models prefilled through them. Skipped, with the reason, on processors
 * without AMX-BF16 (it is a property of the machine, so CI does not insist).
 */
class NativePrefillTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void amxPresent() {
        NativeKernelsTest.assumeLoaded();
        assumeTrue(NativeKernels.amxAvailable(), "this processor or kernel offers no AMX-BF16");
    }

    private static ByteBuffer direct(long bytes) {
        return ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
    }

    /** A native prompt product, as {@link NativeKernels#gemmAmx} takes its operands (addresses; bias 0 for none). */
    @FunctionalInterface
    interface Product {
        int multiply(int dtype, long w, long scales, int group, int n, int k, long x, int t, long bias, long y);
    }

    /** {@link NativeKernels#gemmAmx} on {@code pool} in {@code passes}. */
    private static Product amx(long pool, int passes) {
        return (dtype, w, scales, group, n, k, x, t, bias, y) ->
                NativeKernels.gemmAmx(pool, dtype, w, scales, group, n, k, x, t, bias, y, passes);
    }

    private static void checkProduct(long pool, int dtype, int t, int n, int k, boolean withBias, int passes,
            double relativeTolerance, long seed) {
        checkProduct(amx(pool, passes), "passes " + passes, dtype, t, n, k, withBias, relativeTolerance, seed);
    }

    /**
     * One product of random operands, checked element by element against float64: each output within
     * {@code relativeTolerance} of the sum of its terms' magnitudes, and nothing written past {@code y}.
     */
    static void checkProduct(Product product, String name, int dtype, int t, int n, int k, boolean withBias,
            double relativeTolerance, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int group = 16;
        double[] w = new double[n * k];
        ByteBuffer weights = direct((long) n * k * (dtype == NativeKernels.F32 ? 4 : dtype == NativeKernels.F16 ? 2 : 1));
        ByteBuffer scales = direct(Math.max(4, (long) n * (k / group) * 4));
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < k; c++) {
                int i = r * k + c;
                float v = (float) (random.nextGaussian() * 0.05);
                if (dtype == NativeKernels.F16) {
                    short bits = NativeKernelsTest.toHalf(v);
                    weights.putShort(i * 2, bits);
                    w[i] = TinyCheckpoint.decode(bits, 5, 10);
                } else if (dtype == NativeKernels.F32) {
                    weights.putFloat(i * 4, v);
                    w[i] = v;
                } else {
                    if (c % group == 0) {
                        scales.putFloat((r * (k / group) + c / group) * 4, (float) (0.0005 + random.nextDouble() * 0.001));
                    }
                    byte q = (byte) (random.nextInt(255) - 127);
                    weights.put(i, q);
                    w[i] = q * (double) scales.getFloat((r * (k / group) + c / group) * 4);
                }
            }
        }
        ByteBuffer x = direct((long) t * k * 4);
        double[] xs = new double[t * k];
        for (int i = 0; i < t * k; i++) {
            float v = (float) random.nextGaussian();
            x.putFloat(i * 4, v);
            xs[i] = v;
        }
        ByteBuffer bias = direct(n * 4L);
        for (int c = 0; c < n; c++) {
            bias.putFloat(c * 4, (float) random.nextGaussian());
        }
        // one float past the end: the product must not write beyond [t, n]
        ByteBuffer y = direct(((long) t * n + 1) * 4);
        y.putFloat(t * n * 4, 12345f);
        int result = product.multiply(dtype, NativeKernels.address(weights),
                dtype == NativeKernels.Q8 ? NativeKernels.address(scales) : 0, group, n, k,
                NativeKernels.address(x), t, withBias ? NativeKernels.address(bias) : 0, NativeKernels.address(y));
        assertThat(result).isEqualTo(NativeKernels.GEMM_OK);
        String what = name + ", dtype " + dtype + " [" + t + ", " + k + "] x [" + n + ", " + k + "]^T";
        for (int r = 0; r < t; r++) {
            for (int c = 0; c < n; c++) {
                double expected = withBias ? bias.getFloat(c * 4) : 0;
                double magnitude = Math.abs(expected);
                for (int j = 0; j < k; j++) {
                    double term = xs[r * k + j] * w[c * k + j];
                    expected += term;
                    magnitude += Math.abs(term);
                }
                assertThat(Math.abs(y.getFloat((r * n + c) * 4) - expected)).as(what + " at " + r + ", " + c)
                        .isLessThanOrEqualTo(relativeTolerance * magnitude + 1e-6);
            }
        }
        assertThat(y.getFloat(t * n * 4)).as(what + ": the float after y").isEqualTo(12345f);
    }

    @Test
    void splitBf16ProductsAreAsExactAsFp16WeightsForEveryStorage() {
        try (NativePool pool = new NativePool(2, NativeKernels.AVX512)) {
            // {t, n, k}: whole tiles; tails in every dimension; one row; columns fewer than a tile; columns in two
            // slices (the second starts from the first's sums in y)
            int[][] shapes = {{32, 64, 64}, {37, 45, 80}, {1, 33, 96}, {70, 97, 48}, {5, 3, 16}, {300, 70, 1104}};
            long seed = 1;
            for (int dtype : new int[] {NativeKernels.F16, NativeKernels.F32, NativeKernels.Q8}) {
                for (int[] s : shapes) {
                    // about 16 significant bits: a product that dropped the residues (8 bits) is off by ~4e-3
                    checkProduct(pool.handle(), dtype, s[0], s[1], s[2], seed % 2 == 0, 3, 3e-5, seed++);
                }
            }
        }
    }

    @Test
    void bf16ProductsRoundEachOperandOnce() {
        try (NativePool pool = new NativePool(2, NativeKernels.AVX512)) {
            checkProduct(pool.handle(), NativeKernels.F16, 40, 50, 96, true, 1, 1e-2, 7);
            // and they are really rounded: the split product's tolerance fails them
            assertThatThrownBy(() -> checkProduct(pool.handle(), NativeKernels.F16, 40, 50, 96, true, 1, 3e-5, 7))
                    .isInstanceOf(AssertionError.class);
        }
    }

    /** A native prompt attention, as {@link NativeKernels#attentionRowsAmx} takes its operands. */
    @FunctionalInterface
    interface Attention {
        int attend(long q, int qStride, long keys, long values, int kvHeads, int groups, int headDim, int capacity,
                int rows, int position, int window, float scale, long out);
    }

    private static double attentionError(long pool, int d, int groups, int position, int rows, int window,
            int passes, long seed) {
        return attentionError((q, qStride, keys, values, kvHeads, groups1, headDim, capacity, rows1, position1,
                window1, scale, out) -> NativeKernels.attentionRowsAmx(pool, q, qStride, keys, values, kvHeads,
                        groups1, headDim, capacity, rows1, position1, window1, scale, out, passes),
                d, groups, position, rows, window, seed);
    }

    /**
     * Largest difference between {@code attention} of {@code rows} random queries at positions {@code position, ...}
     * and float64 softmax attention over each row's own range, for {@code kvHeads = 2}; fails if it writes past its
     * output.
     */
    static double attentionError(Attention attention, int d, int groups, int position, int rows, int window,
            long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int kvHeads = 2;
        int heads = kvHeads * groups;
        int capacity = position + rows + 3;
        float scale = (float) (1 / Math.sqrt(d));
        ByteBuffer keys = NativeKernelsTest.gaussians(random, (long) kvHeads * capacity * d);
        ByteBuffer values = NativeKernelsTest.gaussians(random, (long) kvHeads * capacity * d);
        // rows hold the queries and then two more heads (a stacked q/k array), which must be skipped
        int stride = (heads + 2) * d;
        ByteBuffer q = direct((long) rows * stride * 4);
        for (int i = 0; i < rows * stride; i++) {
            q.putFloat(i * 4, (float) (2 * random.nextGaussian()));
        }
        // one float past the end: nothing may be written beyond [rows, heads, d]
        ByteBuffer out = direct(((long) rows * heads * d + 1) * 4);
        out.putFloat(rows * heads * d * 4, 12345f);
        int result = attention.attend(NativeKernels.address(q), stride, NativeKernels.address(keys),
                NativeKernels.address(values), kvHeads, groups, d, capacity, rows, position, window, scale,
                NativeKernels.address(out));
        assertThat(result).isEqualTo(NativeKernels.GEMM_OK);
        assertThat(out.getFloat(rows * heads * d * 4)).isEqualTo(12345f);
        double max = 0;
        for (int r = 0; r < rows; r++) {
            int to = position + r + 1;
            int from = window > 0 ? Math.max(0, to - window) : 0;
            for (int h = 0; h < heads; h++) {
                int kv = h / groups;
                double[] p = new double[to - from];
                double top = Double.NEGATIVE_INFINITY;
                for (int t = from; t < to; t++) {
                    double s = 0;
                    for (int i = 0; i < d; i++) {
                        s += (double) q.getFloat((r * stride + h * d + i) * 4)
                                * keys.getFloat(((kv * capacity + t) * d + i) * 4);
                    }
                    p[t - from] = s * scale;
                    top = Math.max(top, p[t - from]);
                }
                double sum = 0;
                for (int t = 0; t < p.length; t++) {
                    p[t] = Math.exp(p[t] - top);
                    sum += p[t];
                }
                for (int i = 0; i < d; i++) {
                    double expected = 0;
                    for (int t = from; t < to; t++) {
                        expected += p[t - from] / sum * values.getFloat(((kv * capacity + t) * d + i) * 4);
                    }
                    max = Math.max(max, Math.abs(out.getFloat(((r * heads + h) * d + i) * 4) - expected));
                }
            }
        }
        return max;
    }

    @Test
    void attentionOnAmxGivesEachQueryItsOwnCausalRange() {
        try (NativePool pool = new NativePool(2, NativeKernels.AVX512)) {
            // {head width, query heads per key/value head, first position, rows, window}: Qwen2.5's 7 heads per
            // group over a block edge; a prompt after cached positions; one query; many keys; a window the later
            // rows outgrow and one that starts past a block; head widths 128 and 96; multi-head (1 per group)
            int[][] cases = {{64, 7, 0, 9, 0}, {64, 7, 37, 20, 0}, {64, 3, 70, 1, 0}, {64, 2, 600, 40, 0},
                {64, 3, 5, 60, 17}, {64, 4, 100, 33, 40}, {128, 2, 10, 21, 0}, {96, 1, 3, 70, 0}};
            long seed = 20;
            for (int[] c : cases) {
                double split = attentionError(pool.handle(), c[0], c[1], c[2], c[3], c[4], 3, seed);
                double rounded = attentionError(pool.handle(), c[0], c[1], c[2], c[3], c[4], 1, seed++);
                // measured 1.7e-5..3.5e-5 split (the vector kernel in fp32: within 2e-5), 7e-3..2e-2 rounded once
                String what = "{d, groups, position, rows, window} " + Arrays.toString(c);
                assertThat(split).as(what + ", split").isLessThan(1e-4);
                assertThat(rounded).as(what + ", one rounding").isLessThan(5e-2).isGreaterThan(1e-3);
            }
        }
    }

    /** Whether a native prefill with kernels up to {@code maxIsa} multiplies on AVX-512 FMA here. */
    static boolean fmaProducts(int maxIsa) {
        try (NativePool pool = new NativePool(1, maxIsa)) {
            return pool.isa().equals("avx512");
        }
    }

    /**
     * Largest difference between each decode step's logits and the reference's at the same position, the model's
     * native kernels held to {@code maxIsa}.
     */
    private static double decodeError(Path dir, LoadOptions options, int maxIsa, int[] tokens, int prefill,
            double[][] expected) {
        try (CausalLm lm = CausalLm.load(dir, options, Int8Matrix.DEFAULT_GROUP, maxIsa)) {
            assertThat(lm.prefillDescription()).startsWith(options.prefill() != LoadOptions.Prefill.NATIVE ? "AMX"
                    : fmaProducts(maxIsa) ? "native kernels, fp32 FMA products" : "DJL engine products, native kernels");
            float[][] steps = lm.cachedLogits(tokens, prefill);
            double max = 0;
            for (int step = 1; step < steps.length; step++) { // step 0's logits come from the engine's fp16 head
                for (int v = 0; v < steps[step].length; v++) {
                    max = Math.max(max, Math.abs(steps[step][v] - expected[prefill - 1 + step][v]));
                }
            }
            return max;
        }
    }

    @Test
    void aPromptPrefilledThroughAmxDecodesToTheFloat64ReferenceOfFp16Weights() throws IOException {
        // Qwen2 biases and an untied head; a 45-token prompt (one whole 32-row block and a tail) fills the KV cache
        // through AMX, then the native decoder (fp32 accumulation) reads it for 5 more tokens
        Path dir = tmp.resolve("f16");
        TinyCheckpoint checkpoint = TinyCheckpoint.write(dir, TinyCheckpoint.Spec.llama().with("dtype", "F16")
                .with("architecture", "Qwen2ForCausalLM").with("qkvBias", true).with("tied", false)
                .with("headDim", 16).with("seed", 51L));
        int[] tokens = new int[50];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 7 + 3) % checkpoint.spec.vocab();
        }
        double[][] expected = new ReferenceForward(checkpoint).logits(tokens);
        LoadOptions amx = new LoadOptions("cpu", 0, LoadOptions.CpuWeights.FLOAT16, LoadOptions.Decoder.NATIVE,
                LoadOptions.Prefill.AMX);
        // measured 3e-5 to 1.2e-4 on logits of 5-15 (about 16 significant bits; fp32 products: 2e-6)
        assertThat(decodeError(dir, amx, NativeKernels.AVX512, tokens, 45, expected)).as("split bf16")
                .isLessThan(3e-4);
        // a prompt's products rounded to bf16 once are an order of magnitude further off: the check can tell
        assertThat(decodeError(dir, amx.withPrefill(LoadOptions.Prefill.AMX_BF16), NativeKernels.AVX512, tokens, 45,
                expected))
                .as("bf16").isGreaterThan(1e-3);
    }

    @Test
    void slidingWindowsQkNormsAndChunksPrefillThroughTheNativeKernelsAsTheReference() throws IOException {
        assertThat(slidingWindowsQkNormsAndChunksError(tmp, LoadOptions.Prefill.AMX, NativeKernels.AVX512))
                .isLessThan(3e-4);
    }

    /**
     * The largest decode-step logit error, against the float64 reference, of three fp16 checkpoints prefilled by
     * {@code prefill} over two chunks: Mistral and Qwen2 sliding windows and Qwen3's per-head q/k norm. The native
     * kernels use instruction sets up to {@code maxIsa}.
     */
    static double slidingWindowsQkNormsAndChunksError(Path tmp, LoadOptions.Prefill prefill, int maxIsa)
            throws IOException {
        // Mistral slides on every layer (window 4); Qwen2 on the layers from max_window_layers; a prompt longer
        // than one prefill chunk, so the second chunk's queries attend to cached positions of the first
        TinyCheckpoint.Spec mistral = TinyCheckpoint.Spec.llama().with("architecture", "MistralForCausalLM")
                .with("kvHeads", 1).with("headDim", 16).with("tied", false).with("slidingWindow", 4)
                .with("dtype", "F16").with("context", 640).with("seed", 54L);
        TinyCheckpoint.Spec qwen = TinyCheckpoint.Spec.llama().with("architecture", "Qwen2ForCausalLM")
                .with("qkvBias", true).with("layers", 3).with("tied", false).with("slidingWindow", 4)
                .with("maxWindowLayers", 1).with("dtype", "F16").with("context", 640).with("seed", 55L);
        // Qwen3's per-head q/k norm gives the rotation a q/k array of its own
        TinyCheckpoint.Spec qwen3 = TinyCheckpoint.Spec.llama().with("architecture", "Qwen3ForCausalLM")
                .with("qkNorm", true).with("headDim", 16).with("tied", false).with("dtype", "F16")
                .with("context", 640).with("seed", 56L);
        double max = 0;
        for (TinyCheckpoint.Spec spec : new TinyCheckpoint.Spec[] {mistral, qwen, qwen3}) {
            Path dir = tmp.resolve(prefill + "-" + maxIsa + "-" + spec.architecture());
            TinyCheckpoint checkpoint = TinyCheckpoint.write(dir, spec);
            int prompt = CausalLm.PREFILL_CHUNK + 37;
            int[] tokens = new int[prompt + 3];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = (i * 11 + 5) % spec.vocab();
            }
            double[][] expected = new ReferenceForward(checkpoint).logits(tokens);
            LoadOptions options = new LoadOptions("cpu", 0, LoadOptions.CpuWeights.FLOAT16,
                    LoadOptions.Decoder.NATIVE, prefill);
            max = Math.max(max, decodeError(dir, options, maxIsa, tokens, prompt, expected));
        }
        return max;
    }

    @Test
    void int8PrefillThroughAmxMatchesTheEnginesDequantizedProducts() throws IOException {
        // auto takes AMX for int8 weights; fp32 against split-bf16 products of the same int8 values and scales
        assertThat(int8PromptDifference(tmp.resolve("int8"), 52L, LoadOptions.Prefill.AUTO, "AMX")).isLessThan(1e-4);
    }

    /**
     * The largest difference between the first-step logits of a 40-token prompt through a small int8 Qwen2
     * checkpoint prefilled by {@code prefill} (whose description must start with {@code description}) and by the
     * engine's products of the dequantized weights.
     */
    static double int8PromptDifference(Path dir, long seed, LoadOptions.Prefill prefill, String description)
            throws IOException {
        TinyCheckpoint.write(dir, TinyCheckpoint.Spec.llama().with("architecture", "Qwen2ForCausalLM")
                .with("qkvBias", true).with("headDim", 16).with("tied", false).with("seed", seed));
        int[] prompt = new int[40];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = (i * 5 + 1) % 40;
        }
        LoadOptions int8 = new LoadOptions("cpu", 0, LoadOptions.CpuWeights.INT8);
        float[] engine;
        try (CausalLm lm = CausalLm.load(dir, int8.withPrefill(LoadOptions.Prefill.ENGINE), 16)) {
            assertThat(lm.prefillDescription()).startsWith("DJL engine");
            engine = lm.cachedLogits(prompt, prompt.length)[0];
        }
        try (CausalLm lm = CausalLm.load(dir, int8.withPrefill(prefill), 16)) {
            assertThat(lm.prefillDescription()).startsWith(description);
            float[] logits = lm.cachedLogits(prompt, prompt.length)[0];
            double max = 0;
            double largest = 0;
            for (int v = 0; v < logits.length; v++) {
                max = Math.max(max, Math.abs(logits[v] - engine[v]));
                largest = Math.max(largest, Math.abs(engine[v]));
            }
            assertThat(largest).as("logits that are not all near zero").isGreaterThan(1e-2);
            return max;
        }
    }

    @Test
    void autoKeepsFp32WeightsOnTheEngine() throws IOException {
        Path dir = tmp.resolve("f32");
        TinyCheckpoint.write(dir, TinyCheckpoint.Spec.llama().with("seed", 53L));
        try (CausalLm lm = CausalLm.load(dir, LoadOptions.cpu())) {
            assertThat(lm.prefillDescription()).startsWith("DJL engine");
        }
    }
}
