package dev.groundwork.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsReaderTest {

    @TempDir
    Path tmp;

    /** Independent decoding of an IEEE binary16 value from its fields. */
    private static double halfValue(int bits) {
        int sign = bits >>> 15;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        double magnitude;
        if (exponent == 0x1f) {
            magnitude = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exponent == 0) {
            magnitude = mantissa * Math.pow(2, -24);
        } else {
            magnitude = (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
        }
        return sign == 1 ? -magnitude : magnitude;
    }

    @Test
    void everyFloat16BitPatternConvertsExactly() {
        for (int bits = 0; bits < 0x10000; bits++) {
            double expected = halfValue(bits);
            float actual = Dtype.f16ToFloat((short) bits);
            if (Double.isNaN(expected)) {
                assertThat(actual).as("bits %04x", bits).isNaN();
            } else {
                assertThat((double) actual).as("bits %04x", bits).isEqualTo(expected);
                assertThat(Float.floatToIntBits(actual) >>> 31).as("sign of %04x", bits).isEqualTo(bits >>> 15);
            }
        }
    }

    @Test
    void bfloat16IsTheUpperHalfOfFloat32() {
        assertThat(Dtype.bf16ToFloat((short) 0x3f80)).isEqualTo(1.0f);
        assertThat(Dtype.bf16ToFloat((short) 0xc049)).isEqualTo(-3.140625f);
        assertThat(Dtype.bf16ToFloat((short) 0x0001)).isEqualTo(Float.intBitsToFloat(0x00010000));
        assertThat(Dtype.bf16ToFloat((short) 0x7f80)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void readsEachDtypeWithShapesAndSlices() throws IOException {
        Path file = tmp.resolve("model.safetensors");
        new SafetensorsWriter()
                .addF32("a", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f})
                .addBits16("b", "BF16", new long[] {2}, new short[] {(short) 0x3f80, (short) 0xc049})
                .addBits16("c", "F16", new long[] {3}, new short[] {(short) 0x3c00, (short) 0xc500, 0x0001})
                .write(file);
        try (SafetensorsWeights w = SafetensorsWeights.open(tmp)) {
            assertThat(w.tensors()).containsOnlyKeys("a", "b", "c");
            assertThat(w.require("a").shape()).containsExactly(2, 3);
            assertThat(w.readAll("a")).containsExactly(1, 2, 3, 4, 5, -6.5f);
            assertThat(w.readAll("b")).containsExactly(1.0f, -3.140625f);
            assertThat(w.readAll("c")).containsExactly(1.0f, -5.0f, (float) Math.pow(2, -24));
            FloatBuffer slice = FloatBuffer.allocate(2);
            w.readFloats(w.require("a"), 3, slice);
            assertThat(slice.array()).containsExactly(4, 5);
        }
    }

    @Test
    void unsupportedDtypeIsRejectedNamingTheTensor() throws IOException {
        new SafetensorsWriter().addF32("ok", new long[] {1}, new float[] {1})
                .add("model.layers.0.mlp.up_proj.weight", "I32", new long[] {2}, new byte[8])
                .write(tmp.resolve("model.safetensors"));
        assertThatThrownBy(() -> SafetensorsWeights.open(tmp)).isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("model.layers.0.mlp.up_proj.weight").hasMessageContaining("I32")
                .hasMessageContaining("F32, F16, BF16");
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        assertThatThrownBy(() -> SafetensorsWeights.open(tmp)).hasMessageContaining("model.safetensors");
        Files.writeString(tmp.resolve(SafetensorsWeights.INDEX_FILE),
                "{\"weight_map\":{\"x\":\"model-00001-of-00002.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsWeights.open(tmp)).isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("model-00001-of-00002.safetensors").hasMessageContaining("does not exist");
    }

    @Test
    void corruptHeadersAndOffsetsAreRejectedNamingTheFile() throws IOException {
        Path shortFile = tmp.resolve("short.safetensors");
        Files.write(shortFile, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsFile.open(shortFile)).hasMessageContaining("short.safetensors")
                .hasMessageContaining("too short");

        Path badLength = tmp.resolve("bad.safetensors");
        Files.write(badLength, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertThatThrownBy(() -> SafetensorsFile.open(badLength)).hasMessageContaining("bad.safetensors")
                .hasMessageContaining("header length");

        Path beyond = tmp.resolve("beyond.safetensors");
        byte[] json = "{\"t\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}"
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Files.write(beyond, b.array());
        assertThatThrownBy(() -> SafetensorsFile.open(beyond)).hasMessageContaining("'t'")
                .hasMessageContaining("outside the file");
    }

    @Test
    void tensorsBeyondTwoGibibytesAreReadWithLongOffsets() throws IOException {
        // a sparse file: 3 GiB of zeros (no disk used) then a tensor whose offset does not fit an int
        long gap = 3L << 30;
        String header = "{\"pad\":{\"dtype\":\"F32\",\"shape\":[" + gap / 4 + "],\"data_offsets\":[0," + gap + "]},"
                + "\"far\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[" + gap + "," + (gap + 12) + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = tmp.resolve("model.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            raf.write(json);
            raf.seek(8 + json.length + gap);
            raf.write(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f)
                    .putFloat(7f).array());
        }
        try (SafetensorsWeights w = SafetensorsWeights.open(tmp)) {
            assertThat(w.require("far").start()).isGreaterThan(Integer.MAX_VALUE);
            assertThat(w.readAll("far")).containsExactly(1.5f, -2f, 7f);
            FloatBuffer tail = FloatBuffer.allocate(2);
            w.readFloats(w.require("pad"), gap / 4 - 2, tail);
            assertThat(tail.array()).containsExactly(0f, 0f);
        }
    }
}
