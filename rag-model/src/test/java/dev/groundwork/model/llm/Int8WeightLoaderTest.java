package dev.groundwork.model.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.groundwork.model.safetensors.SafetensorsException;
import dev.groundwork.model.safetensors.SafetensorsWeights;
import dev.groundwork.model.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WeightLoader#loadInt8}: window by window quantization gives the same values and scales as quantizing
 * the whole tensor at once, stacked parts keep their order, and a non-finite weight is named.
 */
class Int8WeightLoaderTest {

    @TempDir
    Path tmp;

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * (i % 1000 == 0 ? 30 : 1);
        }
        return v;
    }

    /** Dequantized values as {@link Int8Matrix#quantize} gives them for the whole array in one go. */
    private static float[] expected(float[] w, int group) {
        ByteBuffer q = ByteBuffer.allocate(w.length);
        FloatBuffer scales = FloatBuffer.allocate(w.length / group);
        assertThat(Int8Matrix.quantize(FloatBuffer.wrap(w), w.length, group, q, scales)).isEqualTo(-1);
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = q.get(i) * scales.get(i / group);
        }
        return out;
    }

    private static float[] dequantized(Int8Matrix m) {
        return m.values().toType(DataType.FLOAT32, false)
                .reshape(m.rows(), m.columns() / m.group(), m.group()).mul(m.scales()).toFloatArray();
    }

    @Test
    void tensorsLargerThanTheWindowQuantizeAsAWholeInStackedOrder() throws IOException {
        // both beyond the loader's 4 M-value window; 172 columns are not a multiple of 64: one scale per row
        float[] grouped = random(21846 * 192, 1);
        float[] perRow = random(24400 * 172, 2);
        float[] small = random(3 * 192, 3);
        new SafetensorsWriter()
                .addF32("a", new long[] {21846, 192}, grouped)
                .addF32("b", new long[] {3, 192}, small)
                .addF32("c", new long[] {24400, 172}, perRow)
                .write(tmp.resolve("model.safetensors"));
        try (SafetensorsWeights weights = SafetensorsWeights.open(tmp);
                NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            WeightLoader loader = new WeightLoader(weights, manager, Device.cpu(), DataType.FLOAT32,
                    DataType.FLOAT32, 64, null);
            Int8Matrix stacked = loader.loadInt8(new String[] {"a", "b"}, new long[] {21846, 3}, 192);
            assertThat(stacked.group()).isEqualTo(64);
            assertThat(stacked.rows()).isEqualTo(21849);
            float[] both = new float[grouped.length + small.length];
            System.arraycopy(grouped, 0, both, 0, grouped.length);
            System.arraycopy(small, 0, both, grouped.length, small.length);
            assertThat(Arrays.mismatch(dequantized(stacked), expected(both, 64))).as("first differing value").isEqualTo(-1);

            Int8Matrix rows = loader.loadInt8(new String[] {"c"}, new long[] {24400}, 172);
            assertThat(rows.group()).isEqualTo(172);
            assertThat(Arrays.mismatch(dequantized(rows), expected(perRow, 172))).as("first differing value").isEqualTo(-1);
            assertThat(rows.bytes()).isEqualTo(24400L * 172 + 24400L * 4);
        }
    }

    @Test
    void aNonFiniteWeightIsNamed() throws IOException {
        float[] w = random(4 * 64, 4);
        w[130] = Float.NaN;
        new SafetensorsWriter().addF32("model.layers.0.mlp.up_proj.weight", new long[] {4, 64}, w)
                .write(tmp.resolve("model.safetensors"));
        try (SafetensorsWeights weights = SafetensorsWeights.open(tmp);
                NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            WeightLoader loader = new WeightLoader(weights, manager, Device.cpu(), DataType.FLOAT32,
                    DataType.FLOAT32, 64, null);
            assertThatThrownBy(() -> loader.loadInt8(new String[] {"model.layers.0.mlp.up_proj.weight"},
                    new long[] {4}, 64)).isInstanceOf(SafetensorsException.class)
                    .hasMessageContaining("model.layers.0.mlp.up_proj.weight").hasMessageContaining("element 130")
                    .hasMessageContaining("non-finite");
        }
    }
}
