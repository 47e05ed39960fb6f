package dev.groundwork.model.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CpuGemmTest {

    /** x·Wᵀ + b in float64, the definition both back ends must agree with. */
    private static double[][] reference(float[] x, float[] w, float[] b, int rows, int in, int out) {
        double[][] y = new double[rows][out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double sum = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) {
                    sum += (double) x[r * in + i] * w[o * in + i];
                }
                y[r][o] = sum;
            }
        }
        return y;
    }

    private static float[] random(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    @Test
    void bothBackEndsComputeTheProductWithAndWithoutBias() {
        checkProducts(40, new int[] {3, CpuGemm.MIN_ROWS, CpuGemm.MIN_ROWS + 77});
    }

    @Test
    void outputsWiderThanOneConvolutionAreJoinedFromSlicesInOrder() {
        // 2.3 slices' worth: three slices, the last one shorter; the bias must follow its rows
        checkProducts(CpuGemm.MAX_CONVOLUTION_OUT * 2 + 1001, new int[] {CpuGemm.MIN_ROWS});
    }

    /** Every back end and slicing {@code multiply} picks for these row counts equals the float64 product. */
    private static void checkProducts(int out, int[] rowCounts) {
        Random random = new Random(5);
        int in = 96;
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            // below the threshold (linear) and above it (convolution)
            for (int rows : rowCounts) {
                float[] x = random(random, rows * in);
                float[] w = random(random, out * in);
                float[] b = random(random, out);
                for (boolean withBias : new boolean[] {false, true}) {
                    NDArray y = CpuGemm.multiply(manager.create(x, new Shape(rows, in)),
                            manager.create(w, new Shape(out, in)), withBias ? manager.create(b) : null);
                    assertThat(y.getShape()).isEqualTo(new Shape(rows, out));
                    float[] actual = y.toFloatArray();
                    double[][] expected = reference(x, w, withBias ? b : null, rows, in, out);
                    double max = 0;
                    for (int r = 0; r < rows; r++) {
                        for (int o = 0; o < out; o++) {
                            max = Math.max(max, Math.abs(actual[r * out + o] - expected[r][o]));
                        }
                    }
                    // sums of 96 products of unit Gaussians: fp32 rounding stays near 1e-5
                    assertThat(max).as(rows + " rows, bias " + withBias).isLessThan(1e-4);
                }
            }
        }
    }
}
