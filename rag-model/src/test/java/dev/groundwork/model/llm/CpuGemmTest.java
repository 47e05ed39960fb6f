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
    void theChosenProductIsRightBelowAndAboveTheThresholdAndRemembered() {
        CpuGemm gemm = new CpuGemm();
        // below the threshold (linear, no plan) and above it (the fastest, timed on the first call)
        checkProducts(300, new int[] {3, CpuGemm.MIN_ROWS, CpuGemm.MIN_ROWS + 77}, gemm::multiply);
        assertThat(gemm.plan(new Shape(300, 96))).isIn(CpuGemm.LINEAR, 1, 2, 4);
    }

    @Test
    void everyPlanComputesTheSameProduct() {
        // 301 rows in 2 or 4 output slices: uneven, the last one shorter; the bias must follow its rows
        for (int plan : new int[] {CpuGemm.LINEAR, 1, 2, 4, 3}) {
            checkProducts(301, new int[] {CpuGemm.MIN_ROWS + 5}, (x, w, b) -> CpuGemm.apply(plan, x, w, b));
        }
    }

    /** A product of {@code x [T, in]} and {@code w [out, in]} with an optional bias. */
    private interface Product {
        NDArray multiply(NDArray x, NDArray w, NDArray b);
    }

    /** The product at these row counts equals the float64 one, with and without bias. */
    private static void checkProducts(int out, int[] rowCounts, Product product) {
        Random random = new Random(5);
        int in = 96;
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            for (int rows : rowCounts) {
                float[] x = random(random, rows * in);
                float[] w = random(random, out * in);
                float[] b = random(random, out);
                for (boolean withBias : new boolean[] {false, true}) {
                    NDArray y = product.multiply(manager.create(x, new Shape(rows, in)),
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
