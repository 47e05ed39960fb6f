package dev.groundwork.model.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Writes safetensors files for tests, independently of the reader: an 8-byte little-endian header length, the JSON
 * header, then each tensor's raw little-endian bytes. Values are given as raw element bits so that the reader's
 * conversions are checked against an independent decoding.
 */
public final class SafetensorsWriter {

    /** One tensor: its dtype name as written in the header, shape, and raw little-endian data. */
    public record RawTensor(String dtype, long[] shape, byte[] data) {
    }

    private final Map<String, RawTensor> tensors = new LinkedHashMap<>();

    public SafetensorsWriter add(String name, String dtype, long[] shape, byte[] data) {
        tensors.put(name, new RawTensor(dtype, shape, data));
        return this;
    }

    public SafetensorsWriter addF32(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return add(name, "F32", shape, b.array());
    }

    /** 16-bit dtypes (F16, BF16) from raw bit patterns. */
    public SafetensorsWriter addBits16(String name, String dtype, long[] shape, short[] bits) {
        ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : bits) {
            b.putShort(v);
        }
        return add(name, dtype, shape, b.array());
    }

    public Map<String, RawTensor> tensors() {
        return tensors;
    }

    public void write(Path file) throws IOException {
        StringJoiner header = new StringJoiner(",", "{\"__metadata__\":{\"format\":\"pt\"},", "}");
        long offset = 0;
        for (Map.Entry<String, RawTensor> e : tensors.entrySet()) {
            RawTensor t = e.getValue();
            StringJoiner shape = new StringJoiner(",", "[", "]");
            Arrays.stream(t.shape()).forEach(d -> shape.add(Long.toString(d)));
            header.add("\"" + e.getKey() + "\":{\"dtype\":\"" + t.dtype() + "\",\"shape\":" + shape
                    + ",\"data_offsets\":[" + offset + "," + (offset + t.data().length) + "]}");
            offset += t.data().length;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // the format pads the header with spaces to 8 bytes
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (RawTensor t : tensors.values()) {
            out.put(t.data());
        }
        Files.write(file, out.array());
    }
}
