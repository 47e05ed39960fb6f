package dev.groundwork.model.safetensors;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * The element types this reader converts to float32. Other safetensors dtypes (integers, F64, FP8) are rejected
 * by {@link #parse} with the tensor's name.
 */
public enum Dtype {
    F32(4), F16(2), BF16(2);

    private final int bytes;

    Dtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** @throws SafetensorsException naming {@code tensor} and the dtype if it is not F32, F16 or BF16 */
    static Dtype parse(String name, String tensor, String file) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new SafetensorsException("tensor '" + tensor + "' in " + file + " has dtype " + name
                + ", which is not supported (supported: F32, F16, BF16)");
    }

    /** Converts {@code count} little-endian elements from {@code src} (at its position) into {@code dst}. */
    void toFloats(ByteBuffer src, FloatBuffer dst, int count) {
        switch (this) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    dst.put(src.getFloat());
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst.put(bf16ToFloat(src.getShort()));
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst.put(f16ToFloat(src.getShort()));
                }
            }
            default -> throw new AssertionError(this);
        }
    }

    /** bfloat16 is the upper half of a float32: widening is exact. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** IEEE 754 binary16 to float32, exact for every value (subnormals, infinities and NaN included). */
    public static float f16ToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float32
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
