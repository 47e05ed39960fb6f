package dev.groundwork.model.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.groundwork.model.safetensors.SafetensorsWeights;
import dev.groundwork.model.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightLoaderTest {

    @TempDir
    Path tmp;

    @Test
    void matricesBeyondHalfRangeStayFloat32AndStacksKeepOrder() throws IOException {
        new SafetensorsWriter()
                .addF32("small", new long[] {2, 2}, new float[] {1, -2, 0.5f, 3})
                .addF32("huge", new long[] {1, 2}, new float[] {70000f, 1})
                .addBits16("bf", "BF16", new long[] {1, 2}, new short[] {(short) 0x3f80, (short) 0xc049})
                .write(tmp.resolve("model.safetensors"));
        try (SafetensorsWeights weights = SafetensorsWeights.open(tmp);
                NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            WeightLoader loader = new WeightLoader(weights, manager, Device.cpu(), DataType.FLOAT32,
                    DataType.FLOAT16);
            NDArray small = loader.loadMatrix("small", 2, 2);
            assertThat(small.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(small.toType(DataType.FLOAT32, false).toFloatArray()).containsExactly(1, -2, 0.5f, 3);

            NDArray huge = loader.loadMatrix("huge", 1, 2);
            assertThat(huge.getDataType()).as("70000 does not fit fp16").isEqualTo(DataType.FLOAT32);
            assertThat(huge.toFloatArray()).containsExactly(70000f, 1);

            NDArray stacked = loader.loadStackedMatrices(new String[] {"small", "bf"}, new long[] {2, 1}, 2);
            assertThat(stacked.getShape().getShape()).containsExactly(3, 2);
            assertThat(stacked.toType(DataType.FLOAT32, false).toFloatArray())
                    .containsExactly(1, -2, 0.5f, 3, 1, -3.140625f);
        }
    }
}
