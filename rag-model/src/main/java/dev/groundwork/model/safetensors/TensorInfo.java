package dev.groundwork.model.safetensors;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where one tensor lies: its file, dtype, shape and absolute byte range in that file (offsets are longs: files
 * beyond 2 GiB are normal).
 *
 * @param name the tensor's name in the header
 * @param dtype element type
 * @param shape dimensions, outermost first; empty for a scalar
 * @param file the safetensors file that holds the data
 * @param start absolute offset of the first byte in {@code file}
 * @param byteLength number of bytes, equal to elements × dtype size
 */
public record TensorInfo(String name, Dtype dtype, long[] shape, Path file, long start, long byteLength) {

    public TensorInfo {
        shape = shape.clone();
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new SafetensorsException("tensor '" + name + "' in " + file + " has a negative dimension");
            }
            elements = Math.multiplyExact(elements, d);
        }
        if (Math.multiplyExact(elements, (long) dtype.bytes()) != byteLength) {
            throw new SafetensorsException("tensor '" + name + "' in " + file + ": shape " + Arrays.toString(shape)
                    + " of " + dtype + " needs " + elements * dtype.bytes() + " bytes but the offsets span "
                    + byteLength);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long elementCount() {
        return byteLength / dtype.bytes();
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " in " + file.getFileName();
    }
}
