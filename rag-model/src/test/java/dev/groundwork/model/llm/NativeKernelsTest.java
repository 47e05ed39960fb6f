package dev.groundwork.model.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The native decode kernels against float64 references written here, on every instruction-set path the processor
 * has (AVX-512, AVX2, portable C), with shapes whose rows and columns are not multiples of the vector widths. In CI
 * the library must be there (the build compiles it with gcc); elsewhere the tests are skipped with the reason.
 */
class NativeKernelsTest {

    @BeforeAll
    static void libraryLoaded() {
        assumeLoaded();
    }

    /** Fails in CI, which builds the library, and skips elsewhere when it is not loaded. */
    static void assumeLoaded() {
        String reason = NativeKernels.unavailable().orElse(null);
        if ("true".equals(System.getenv("CI"))) {
            assertThat(reason).as("CI builds the native kernels").isNull();
        }
        assumeTrue(reason == null, () -> "native kernels unavailable: " + reason);
    }

    /** Runs {@code body} on a two-thread pool of the given instruction set; skipped where the processor lacks it. */
    private static void withPool(int isa, LongConsumer body) {
        long pool = NativeKernels.poolCreate(2, isa);
        assertThat(pool).isNotZero();
        try {
            assumeTrue(NativeKernels.poolIsa(pool) == isa,
                    () -> "this processor has no " + NativeKernels.isaName(isa));
            body.accept(pool);
        } finally {
            NativeKernels.poolDestroy(pool);
        }
    }

    /** IEEE binary16 bits of {@code v}, rounded to nearest even, via float bit manipulation (normal range only). */
    static short toHalf(float v) {
        int bits = Float.floatToIntBits(v);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
        int mantissa = bits & 0x7fffff;
        if (v == 0 || exponent <= 0) {
            return (short) sign;
        }
        int rounded = (mantissa + 0xfff + ((mantissa >>> 13) & 1)) >>> 13;
        return (short) (sign | ((exponent << 10) + rounded));
    }

    private static float fromHalf(short h) {
        int e = (h >>> 10) & 0x1f;
        int m = h & 0x3ff;
        float magnitude = e == 0 ? m * 0x1p-24f : e == 31 ? (m == 0 ? Float.POSITIVE_INFINITY : Float.NaN)
                : (1 + m / 1024f) * (float) Math.pow(2, e - 15);
        return (h & 0x8000) != 0 ? -magnitude : magnitude;
    }

    /** {@code count} floats drawn from a standard normal, in direct memory. */
    static ByteBuffer gaussians(SplittableRandom random, long count) {
        ByteBuffer b = direct(count * 4);
        for (int i = 0; i < count; i++) {
            b.putFloat(i * 4, (float) random.nextGaussian());
        }
        return b;
    }

    private static ByteBuffer direct(long bytes) {
        return ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
    }

    @ParameterizedTest(name = "isa {0}")
    @ValueSource(ints = {NativeKernels.SCALAR, NativeKernels.AVX2, NativeKernels.AVX512})
    void matrixVectorProductsMatchFloat64(int isa) {
        withPool(isa, pool -> {
            int[][] shapes = {{1, 1}, {3, 7}, {5, 17}, {37, 53}, {64, 896}, {1001, 33}};
            SplittableRandom random = new SplittableRandom(11);
            for (int[] shape : shapes) {
                int rows = shape[0];
                int cols = shape[1];
                float[] x = new float[cols];
                for (int c = 0; c < cols; c++) {
                    x[c] = (float) random.nextGaussian();
                }
                ByteBuffer f32 = direct((long) rows * cols * 4);
                ByteBuffer f16 = direct((long) rows * cols * 2);
                double[] expected32 = new double[rows];
                double[] expected16 = new double[rows];
                double[] magnitude = new double[rows];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        float w = (float) random.nextGaussian();
                        short h = toHalf(w);
                        f32.putFloat((r * cols + c) * 4, w);
                        f16.putShort((r * cols + c) * 2, h);
                        expected32[r] += (double) w * x[c];
                        expected16[r] += (double) fromHalf(h) * x[c];
                        magnitude[r] += Math.abs((double) w * x[c]);
                    }
                }
                float[] y32 = new float[rows];
                float[] y16 = new float[rows];
                NativeKernels.matVec(pool, NativeKernels.F32, NativeKernels.address(f32), rows, cols, x, y32);
                NativeKernels.matVec(pool, NativeKernels.F16, NativeKernels.address(f16), rows, cols, x, y16);
                for (int r = 0; r < rows; r++) {
                    // fp32 accumulation of `cols` products: error well under 1e-6 of the sum of magnitudes
                    String what = NativeKernels.isaName(isa) + " " + rows + "x" + cols + " row " + r;
                    assertThat(Math.abs(y32[r] - expected32[r])).as("fp32 " + what)
                            .isLessThanOrEqualTo(1e-6 * magnitude[r] + 1e-7);
                    assertThat(Math.abs(y16[r] - expected16[r])).as("fp16 " + what)
                            .isLessThanOrEqualTo(1e-6 * magnitude[r] + 1e-7);
                }
                // the fp16 weights were really rounded: the two products differ somewhere
                double diff = 0;
                for (int r = 0; r < rows; r++) {
                    diff = Math.max(diff, Math.abs(y16[r] - y32[r]));
                }
                if (rows * cols > 20) {
                    assertThat(diff).as("fp16 rounding shows").isGreaterThan(0);
                }
            }
        });
    }

    @ParameterizedTest(name = "isa {0}")
    @ValueSource(ints = {NativeKernels.SCALAR, NativeKernels.AVX2, NativeKernels.AVX512})
    void int8ProductsApplyEachGroupsScale(int isa) {
        withPool(isa, pool -> {
            // {rows, cols, group}: groups the vector path takes (multiples of 16), 8-row blocks with a tail, and
            // whole-row groups of an odd width (the portable path)
            int[][] shapes = {{1, 16, 16}, {13, 64, 16}, {37, 192, 64}, {1001, 896, 64}, {9, 53, 53}};
            SplittableRandom random = new SplittableRandom(12);
            for (int[] shape : shapes) {
                int rows = shape[0];
                int cols = shape[1];
                int group = shape[2];
                int groups = cols / group;
                ByteBuffer q = direct((long) rows * cols);
                ByteBuffer scales = direct((long) rows * groups * 4);
                float[] x = new float[cols];
                for (int c = 0; c < cols; c++) {
                    x[c] = (float) random.nextGaussian();
                }
                double[] expected = new double[rows];
                double[] magnitude = new double[rows];
                for (int r = 0; r < rows; r++) {
                    for (int g = 0; g < groups; g++) {
                        float scale = (float) (0.01 + random.nextDouble() * 0.05);
                        scales.putFloat((r * groups + g) * 4, scale);
                        for (int c = g * group; c < (g + 1) * group; c++) {
                            byte v = (byte) (random.nextInt(255) - 127);
                            q.put(r * cols + c, v);
                            expected[r] += (double) v * scale * x[c];
                            magnitude[r] += Math.abs((double) v * scale * x[c]);
                        }
                    }
                }
                float[] y = new float[rows];
                NativeKernels.matVecQ8(pool, NativeKernels.address(q), NativeKernels.address(scales), group, rows,
                        cols, x, y);
                for (int r = 0; r < rows; r++) {
                    assertThat(Math.abs(y[r] - expected[r])).as(NativeKernels.isaName(isa) + " " + rows + "x" + cols
                            + "/" + group + " row " + r).isLessThanOrEqualTo(1e-6 * magnitude[r] + 1e-7);
                }
                float[] row = new float[cols];
                NativeKernels.rowQ8(NativeKernels.address(q), NativeKernels.address(scales), group, rows - 1, cols,
                        row);
                for (int c = 0; c < cols; c++) {
                    assertThat(row[c]).isEqualTo(q.get((rows - 1) * cols + c)
                            * scales.getFloat(((rows - 1) * groups + c / group) * 4));
                }
            }
        });
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreads() {
        int rows = 1003;
        int cols = 129;
        ByteBuffer w = direct((long) rows * cols * 2);
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < rows * cols; i++) {
            w.putShort(i * 2, toHalf((float) random.nextGaussian()));
        }
        float[] x = new float[cols];
        for (int c = 0; c < cols; c++) {
            x[c] = (float) random.nextGaussian();
        }
        float[] first = null;
        for (int threads : new int[] {1, 2, 3, 5}) {
            long pool = NativeKernels.poolCreate(threads, NativeKernels.AVX512);
            try {
                assertThat(NativeKernels.poolThreads(pool)).isEqualTo(threads);
                float[] y = new float[rows];
                for (int repeat = 0; repeat < 50; repeat++) { // the workers' hand-off, many times over
                    NativeKernels.matVec(pool, NativeKernels.F16, NativeKernels.address(w), rows, cols, x, y);
                }
                if (first == null) {
                    first = y;
                } else {
                    assertThat(y).as(threads + " threads").containsExactly(first);
                }
            } finally {
                NativeKernels.poolDestroy(pool);
            }
        }
    }

    @ParameterizedTest(name = "isa {0}")
    @ValueSource(ints = {NativeKernels.SCALAR, NativeKernels.AVX2, NativeKernels.AVX512})
    void attentionMatchesFloat64Softmax(int isa) {
        withPool(isa, pool -> {
            // head widths 64 (the AVX-512 path) and 24 (the generic one); windows from the start and from inside;
            // 1030 positions pass the kernel's 1024-score stack buffer
            int[][] cases = {{64, 0, 1}, {64, 0, 9}, {64, 3, 41}, {24, 2, 19}, {64, 0, 1030}, {16, 5, 6}};
            SplittableRandom random = new SplittableRandom(3);
            int kvHeads = 2;
            int groups = 3;
            for (int[] c : cases) {
                int d = c[0];
                int from = c[1];
                int to = c[2];
                int capacity = to + 4;
                float scale = (float) (1 / Math.sqrt(d));
                ByteBuffer keys = gaussians(random, (long) kvHeads * capacity * d);
                ByteBuffer values = gaussians(random, (long) kvHeads * capacity * d);
                float[] q = new float[kvHeads * groups * d];
                for (int i = 0; i < q.length; i++) {
                    q[i] = (float) (2 * random.nextGaussian());
                }
                float[] out = new float[q.length];
                NativeKernels.attention(pool, q, NativeKernels.address(keys), NativeKernels.address(values), kvHeads,
                        groups, d, capacity, from, to, scale, out);
                for (int h = 0; h < kvHeads * groups; h++) {
                    int kv = h / groups;
                    double[] scores = new double[to - from];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int t = from; t < to; t++) {
                        double s = 0;
                        for (int i = 0; i < d; i++) {
                            s += (double) q[h * d + i] * keys.getFloat(((kv * capacity + t) * d + i) * 4);
                        }
                        scores[t - from] = s * scale;
                        max = Math.max(max, scores[t - from]);
                    }
                    double sum = 0;
                    for (int t = 0; t < scores.length; t++) {
                        scores[t] = Math.exp(scores[t] - max);
                        sum += scores[t];
                    }
                    for (int i = 0; i < d; i++) {
                        double expected = 0;
                        for (int t = from; t < to; t++) {
                            expected += scores[t - from] / sum * values.getFloat(((kv * capacity + t) * d + i) * 4);
                        }
                        assertThat((double) out[h * d + i]).as(NativeKernels.isaName(isa) + " d " + d + " ["
                                + from + ", " + to + ") head " + h + " dim " + i).isCloseTo(expected,
                                Offset.offset(2e-5));
                    }
                }
            }
        });
    }

    @ParameterizedTest(name = "isa {0}")
    @ValueSource(ints = {NativeKernels.SCALAR, NativeKernels.AVX2, NativeKernels.AVX512})
    void attentionOfRowsGivesEachQueryItsOwnCausalRange(int isa) {
        withPool(isa, pool -> {
            // {head width, first position, rows, window}: causal from the start, after cached positions, a window
            // that the later rows outgrow, the generic head width
            int[][] cases = {{64, 0, 7, 0}, {64, 5, 9, 0}, {64, 3, 12, 4}, {24, 2, 5, 3}};
            SplittableRandom random = new SplittableRandom(4);
            int kvHeads = 2;
            int groups = 3;
            int heads = kvHeads * groups;
            for (int[] c : cases) {
                int d = c[0];
                int position = c[1];
                int rows = c[2];
                int window = c[3];
                int capacity = position + rows + 2;
                float scale = (float) (1 / Math.sqrt(d));
                ByteBuffer keys = gaussians(random, (long) kvHeads * capacity * d);
                ByteBuffer values = gaussians(random, (long) kvHeads * capacity * d);
                // rows hold the queries and then two more heads (a stacked q/k array), which must be skipped
                int stride = (heads + 2) * d;
                ByteBuffer q = direct((long) rows * stride * 4);
                for (int i = 0; i < rows * stride; i++) {
                    q.putFloat(i * 4, (float) (2 * random.nextGaussian()));
                }
                ByteBuffer out = direct((long) rows * heads * d * 4);
                NativeKernels.attentionRows(pool, NativeKernels.address(q), stride, NativeKernels.address(keys),
                        NativeKernels.address(values), kvHeads, groups, d, capacity, rows, position, window, scale,
                        NativeKernels.address(out));
                for (int r = 0; r < rows; r++) {
                    // the one-query kernel, checked against float64 above, over row r's own range
                    int to = position + r + 1;
                    int from = window > 0 ? Math.max(0, to - window) : 0;
                    float[] query = new float[heads * d];
                    for (int i = 0; i < query.length; i++) {
                        query[i] = q.getFloat((r * stride + i) * 4);
                    }
                    float[] expected = new float[heads * d];
                    NativeKernels.attention(pool, query, NativeKernels.address(keys), NativeKernels.address(values),
                            kvHeads, groups, d, capacity, from, to, scale, expected);
                    for (int i = 0; i < expected.length; i++) {
                        assertThat(out.getFloat((r * heads * d + i) * 4)).as(NativeKernels.isaName(isa) + " d " + d
                                + " row " + r + " [" + from + ", " + to + ") element " + i).isEqualTo(expected[i]);
                    }
                }
            }
        });
    }

    @ParameterizedTest(name = "isa {0}")
    @ValueSource(ints = {NativeKernels.SCALAR, NativeKernels.AVX2, NativeKernels.AVX512})
    void swigluMatchesSiluTimesUp(int isa) {
        withPool(isa, pool -> {
            int f = 53;
            float[] gateUp = new float[2 * f];
            SplittableRandom random = new SplittableRandom(8);
            for (int i = 0; i < gateUp.length; i++) {
                gateUp[i] = (float) (4 * random.nextGaussian());
            }
            // the exponential's clamps: silu(-200) is -0, silu(200) is 200, never NaN
            gateUp[0] = -200;
            gateUp[1] = 200;
            gateUp[2] = 0;
            float[] out = new float[f];
            NativeKernels.swiglu(pool, gateUp, f, out);
            for (int i = 0; i < f; i++) {
                double g = gateUp[i];
                double expected = g / (1 + Math.exp(-g)) * gateUp[f + i];
                assertThat((double) out[i]).as("element " + i).isCloseTo(expected,
                        Offset.offset(1e-6 * Math.max(1, Math.abs(expected))));
            }
        });
    }

    @ParameterizedTest(name = "isa {0}")
    @ValueSource(ints = {NativeKernels.SCALAR, NativeKernels.AVX2, NativeKernels.AVX512})
    void swigluOfRowsTakesEachRowsOwnGateAndUp(int isa) {
        withPool(isa, pool -> {
            int rows = 5;
            int f = 37;
            ByteBuffer gateUp = direct((long) rows * 2 * f * 4);
            SplittableRandom random = new SplittableRandom(9);
            for (int i = 0; i < rows * 2 * f; i++) {
                gateUp.putFloat(i * 4, (float) (4 * random.nextGaussian()));
            }
            ByteBuffer out = direct((long) rows * f * 4 + 4);
            out.putFloat(rows * f * 4, 7f);
            NativeKernels.swigluRows(pool, NativeKernels.address(gateUp), rows, f, NativeKernels.address(out));
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < f; i++) {
                    double g = gateUp.getFloat((r * 2 * f + i) * 4);
                    double expected = g / (1 + Math.exp(-g)) * gateUp.getFloat((r * 2 * f + f + i) * 4);
                    assertThat((double) out.getFloat((r * f + i) * 4)).as("row " + r + " element " + i)
                            .isCloseTo(expected, Offset.offset(1e-6 * Math.max(1, Math.abs(expected))));
                }
            }
            assertThat(out.getFloat(rows * f * 4)).as("nothing written past the last row").isEqualTo(7f);
        });
    }

    @ParameterizedTest(name = "heads {0}")
    @ValueSource(ints = {1, 3})
    void rmsNormOfRowsNormalisesEachHeadByItsOwnMeanSquareAndWeight(int heads) {
        withPool(NativeKernels.AVX512, pool -> {
            // one norm per row (heads 1), or per head with its own weight as Qwen3's q/k norm, skipping the row's
            // last head (a value of a stacked q/k/v array)
            int rows = 4;
            int d = 37;
            int stride = heads == 1 ? d : (heads + 1) * d;
            SplittableRandom random = new SplittableRandom(10 + heads);
            ByteBuffer x = gaussians(random, (long) rows * stride);
            ByteBuffer weight = gaussians(random, (long) heads * d);
            ByteBuffer out = direct(((long) rows * heads * d + 1) * 4);
            out.putFloat(rows * heads * d * 4, 12345f);
            x.putFloat(0, 300f); // a large value changes its own vector's scale only
            NativeKernels.rmsNormRows(pool, NativeKernels.address(x), stride, rows, heads, d,
                    NativeKernels.address(weight), 1e-6f, NativeKernels.address(out));
            for (int r = 0; r < rows; r++) {
                for (int h = 0; h < heads; h++) {
                    int at = r * stride + h * d;
                    double sum = 0;
                    for (int i = 0; i < d; i++) {
                        sum += Math.pow(x.getFloat((at + i) * 4), 2);
                    }
                    double rms = Math.sqrt(sum / d + 1e-6);
                    for (int i = 0; i < d; i++) {
                        double expected = x.getFloat((at + i) * 4) / rms * weight.getFloat((h * d + i) * 4);
                        assertThat((double) out.getFloat(((r * heads + h) * d + i) * 4))
                                .as("row " + r + " head " + h + " element " + i)
                                .isCloseTo(expected, Offset.offset(1e-6 * Math.max(1, Math.abs(expected))));
                    }
                }
            }
            assertThat(out.getFloat(rows * heads * d * 4)).isEqualTo(12345f);
        });
    }

    @Test
    void rotaryEmbeddingOfRowsRotatesEachHeadsHalvesByItsRowsAngles() {
        withPool(NativeKernels.AVX512, pool -> {
            // 3 rows of 4 heads (width 6), rotating the first 3 heads of each: the fourth (a value) is skipped
            int rows = 3;
            int heads = 3;
            int d = 6;
            int stride = 4 * d;
            SplittableRandom random = new SplittableRandom(11);
            ByteBuffer in = gaussians(random, (long) rows * stride);
            float[] cos = new float[rows * d / 2];
            float[] sin = new float[rows * d / 2];
            for (int i = 0; i < cos.length; i++) {
                double angle = random.nextDouble() * 6;
                cos[i] = (float) Math.cos(angle);
                sin[i] = (float) Math.sin(angle);
            }
            ByteBuffer out = direct((long) rows * heads * d * 4);
            NativeKernels.ropeRows(pool, NativeKernels.address(in), stride, rows, heads, d, cos, sin,
                    NativeKernels.address(out));
            for (int r = 0; r < rows; r++) {
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < d / 2; i++) {
                        double a = in.getFloat((r * stride + h * d + i) * 4);
                        double b = in.getFloat((r * stride + h * d + d / 2 + i) * 4);
                        double c = cos[r * d / 2 + i];
                        double s = sin[r * d / 2 + i];
                        int at = (r * heads + h) * d;
                        assertThat((double) out.getFloat((at + i) * 4)).isCloseTo(a * c - b * s, Offset.offset(1e-6));
                        assertThat((double) out.getFloat((at + d / 2 + i) * 4)).isCloseTo(b * c + a * s,
                                Offset.offset(1e-6));
                    }
                }
            }
        });
    }

    @Test
    void halfRowsConvertEveryKindOfValue() {
        short[] bits = {0x0000, (short) 0x8000, 0x0001, 0x03ff, 0x0400, 0x3c00, (short) 0xc000, 0x7bff, 0x7c00,
            (short) 0xfc00, 0x7e00, 0x3555};
        ByteBuffer row = direct(bits.length * 2L * 2);
        for (int i = 0; i < bits.length; i++) {
            row.putShort((bits.length + i) * 2, bits[i]); // the second row of a [2, n] matrix
        }
        float[] out = new float[bits.length];
        NativeKernels.row(NativeKernels.F16, NativeKernels.address(row), 1, bits.length, out);
        float[] expected = {0f, -0f, 0x1p-24f, 1023 * 0x1p-24f, 0x1p-14f, 1f, -2f, 65504f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, fromHalf((short) 0x3555)};
        for (int i = 0; i < bits.length; i++) {
            assertThat(Float.floatToIntBits(out[i])).as("half 0x%04x", bits[i])
                    .isEqualTo(Float.floatToIntBits(expected[i]));
        }
    }

    @Test
    void allocatedWeightMemoryIsZeroedAndWritable() {
        ByteBuffer memory = NativeKernels.allocate(3 << 20);
        assertThat(memory).isNotNull();
        try {
            assertThat(memory.isDirect()).isTrue();
            assertThat(memory.capacity()).isEqualTo(3 << 20);
            assertThat(NativeKernels.address(memory) % (2 << 20)).as("huge-page aligned").isZero();
            for (int i = 0; i < memory.capacity(); i += 4093) {
                assertThat(memory.get(i)).isZero();
            }
            memory.put(memory.capacity() - 1, (byte) 7);
            assertThat(memory.get(memory.capacity() - 1)).isEqualTo((byte) 7);
        } finally {
            NativeKernels.release(memory);
        }
    }
}
