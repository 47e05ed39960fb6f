package dev.groundwork.model.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Int8Matrix#quantize}: the per-group round trip bound, zero groups, outliers, non-finite values. */
class Int8QuantizationTest {

    private static final int GROUP = 64;

    private record Quantized(byte[] q, float[] scales) {
        float value(int i) {
            return q[i] * scales[i / GROUP];
        }
    }

    private static Quantized quantize(float[] w) {
        ByteBuffer q = ByteBuffer.allocate(w.length);
        FloatBuffer scales = FloatBuffer.allocate(w.length / GROUP);
        assertThat(Int8Matrix.quantize(FloatBuffer.wrap(w), w.length, GROUP, q, scales)).isEqualTo(-1);
        return new Quantized(q.array(), scales.array());
    }

    @Test
    void everyValueIsWithinHalfAScaleOfItsGroup() {
        Random random = new Random(3);
        float[] w = new float[GROUP * 50];
        for (int i = 0; i < w.length; i++) {
            // groups of very different magnitudes: each must get its own scale
            w[i] = (float) (random.nextGaussian() * Math.pow(10, (i / GROUP) % 7 - 4));
        }
        Quantized r = quantize(w);
        for (int g = 0; g < w.length / GROUP; g++) {
            float max = 0;
            for (int i = g * GROUP; i < (g + 1) * GROUP; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            assertThat(r.scales[g]).as("scale of group " + g).isEqualTo(max / 127f);
            for (int i = g * GROUP; i < (g + 1) * GROUP; i++) {
                // half a step, plus float rounding of the product q·scale (relative 2^-24 of |w|)
                assertThat((double) Math.abs(w[i] - r.value(i))).as("value " + i)
                        .isLessThanOrEqualTo(r.scales[g] / 2 * (1 + 1e-6));
                assertThat(Math.abs(r.q[i])).isLessThanOrEqualTo(127);
            }
        }
        // the group's extreme value maps to ±127 (the full int8 range is used)
        int argmax = 0;
        for (int i = 1; i < GROUP; i++) {
            argmax = Math.abs(w[i]) > Math.abs(w[argmax]) ? i : argmax;
        }
        assertThat(Math.abs(r.q[argmax])).isEqualTo(127);
    }

    @Test
    void aGroupOfTinyValuesKeepsItsShapeWhenItsScaleIsSubnormal() {
        // max/127 below Float.MIN_NORMAL: 1/scale overflows, so quantizing must divide
        float[] w = new float[GROUP];
        for (int i = 0; i < GROUP; i++) {
            w[i] = (i - GROUP / 2) * 1e-39f;
        }
        Quantized r = quantize(w);
        assertThat(r.scales[0]).isLessThan(Float.MIN_NORMAL).isPositive();
        for (int i = 0; i < GROUP; i++) {
            assertThat((double) Math.abs(w[i] - r.value(i))).as("value " + i)
                    .isLessThanOrEqualTo(r.scales[0] / 2 * (1 + 1e-6) + Float.MIN_VALUE);
        }
        assertThat(r.q[GROUP / 2]).isZero();
        assertThat(Math.abs(r.q[0])).isEqualTo(127);
    }

    @Test
    void anAllZeroGroupDequantizesToExactZeros() {
        float[] w = new float[GROUP * 2];
        for (int i = GROUP; i < w.length; i++) {
            w[i] = i % 3 - 1;
        }
        Quantized r = quantize(w);
        assertThat(r.scales[0]).isZero();
        for (int i = 0; i < GROUP; i++) {
            assertThat(r.value(i)).isZero();
            assertThat(Float.isNaN(r.value(i))).isFalse();
        }
        // a group of -1/0/1 is exact: the scale is 1/127 and q is ±127 or 0
        for (int i = GROUP; i < w.length; i++) {
            assertThat(r.value(i)).isCloseTo(w[i], org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void anOutlierCoarsensOnlyItsOwnGroup() {
        Random random = new Random(5);
        float[] w = new float[GROUP * 2];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.02);
        }
        w[7] = 8f; // 400 σ, as the massive activations' weights of real checkpoints
        Quantized r = quantize(w);
        assertThat(r.scales[0]).isEqualTo(8f / 127);
        assertThat(r.value(7)).isEqualTo(8f);
        // in the outlier's group the small values fall below half a step and round to zero...
        int zeros = 0;
        for (int i = 0; i < GROUP; i++) {
            assertThat((double) Math.abs(w[i] - r.value(i))).isLessThanOrEqualTo(r.scales[0] / 2 * (1 + 1e-6));
            zeros += r.q[i] == 0 ? 1 : 0;
        }
        assertThat(zeros).isGreaterThan(GROUP / 2);
        // ...while the next group keeps its own fine scale: errors are a hundredth of the outlier group's
        for (int i = GROUP; i < w.length; i++) {
            assertThat((double) Math.abs(w[i] - r.value(i))).isLessThanOrEqualTo(r.scales[1] / 2 * (1 + 1e-6));
        }
        assertThat(r.scales[1]).isLessThan(r.scales[0] / 50);
    }

    @Test
    void aNonFiniteValueIsReportedByIndex() {
        float[] w = new float[GROUP * 2];
        w[GROUP + 3] = Float.NaN;
        ByteBuffer q = ByteBuffer.allocate(w.length);
        FloatBuffer scales = FloatBuffer.allocate(2);
        assertThat(Int8Matrix.quantize(FloatBuffer.wrap(w), w.length, GROUP, q, scales)).isEqualTo(GROUP + 3);
        w[GROUP + 3] = Float.POSITIVE_INFINITY;
        assertThat(Int8Matrix.quantize(FloatBuffer.wrap(w), w.length, GROUP, q, scales)).isEqualTo(GROUP + 3);
    }

    @Test
    void aRowNotDivisibleByTheGroupIsOneGroup() {
        assertThat(Int8Matrix.groupFor(896, 64)).isEqualTo(64);
        assertThat(Int8Matrix.groupFor(4864, 64)).isEqualTo(64);
        assertThat(Int8Matrix.groupFor(172, 64)).isEqualTo(172);
    }
}
