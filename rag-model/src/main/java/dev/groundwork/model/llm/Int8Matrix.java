package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * A {@code [rows, columns]} matrix held as int8 with one float32 scale per group of {@link #group()} consecutive
 * columns of a row: symmetric absmax quantization, {@code scale = max|w| / 127}, {@code q = round(w / scale)}, so
 * every dequantized value {@code q · scale} is within {@code scale / 2} of the original (an all-zero group has
 * scale 0 and dequantizes to exact zeros). The int8 values take a quarter of fp32's bytes and the scales
 * {@code 4 / group} bytes per weight more.
 *
 * <p>As a {@link TokenEmbedding} it returns dequantized rows: the tied vocabulary projection and the embedding
 * then share the int8 table, and no exact copy of the largest matrix of a small model is kept (it is a quarter of
 * Qwen2.5-0.5B's weights). Immutable; the arrays belong to the model's manager.
 *
 * @see #quantize
 */
final class Int8Matrix implements TokenEmbedding {

    /**
     * Columns per scale. 64 was measured against 32, 128 and one scale per row (docs/benchmarks.md): per-row
     * scales decode fastest but one outlier coarsens the whole row; 32 adds a pass over twice as many scales.
     */
    static final int DEFAULT_GROUP = 64;

    private final NDArray values;
    private final NDArray scales;
    private final int group;

    /**
     * @param values {@code [rows, columns]} int8
     * @param scales {@code [rows, columns / group, 1]} float32
     */
    Int8Matrix(NDArray values, NDArray scales, int group) {
        long columns = values.getShape().get(1);
        if (values.getDataType() != DataType.INT8 || columns % group != 0
                || scales.getShape().get(1) != columns / group) {
            throw new IllegalArgumentException("int8 matrix " + values.getShape() + " with scales "
                    + scales.getShape() + " does not have groups of " + group);
        }
        this.values = values;
        this.scales = scales;
        this.group = group;
    }

    /** The group size for a row of {@code columns}: {@code preferred} if it divides the row, else the whole row. */
    static int groupFor(long columns, int preferred) {
        return columns % preferred == 0 ? preferred : Math.toIntExact(columns);
    }

    /**
     * Quantizes {@code n} values (whole groups) from {@code src} (absolute indices 0..n) into {@code q} and one scale
     * per group into {@code scales}.
     *
     * @return the index of the first non-finite value, or -1 when all were finite (then everything was written)
     */
    static long quantize(FloatBuffer src, int n, int group, ByteBuffer q, FloatBuffer scales) {
        for (int start = 0; start < n; start += group) {
            float max = 0;
            for (int i = start; i < start + group; i++) {
                float v = src.get(i);
                if (!Float.isFinite(v)) {
                    return i;
                }
                max = Math.max(max, Math.abs(v));
            }
            float scale = max / 127f;
            scales.put(start / group, scale);
            float inverse = scale == 0 ? 0 : 1 / scale;
            // a subnormal scale (max below ~3.7e-37) has no finite inverse: divide instead
            boolean divide = !Float.isFinite(inverse);
            for (int i = start; i < start + group; i++) {
                // |v / scale| <= 127 up to rounding of the division: the clamp only guards that last ulp
                int value = Math.round(divide ? src.get(i) / scale : src.get(i) * inverse);
                q.put(i, (byte) Math.max(-127, Math.min(127, value)));
            }
        }
        return -1;
    }

    NDArray values() {
        return values;
    }

    /** {@code [rows, columns / group, 1]}. */
    NDArray scales() {
        return scales;
    }

    int group() {
        return group;
    }

    long rows() {
        return values.getShape().get(0);
    }

    long columns() {
        return values.getShape().get(1);
    }

    /** Bytes of values and scales. */
    long bytes() {
        return values.size() + scales.size() * Float.BYTES;
    }

    @Override
    public NDArray lookup(NDArray ids, DataType type) {
        long t = ids.size();
        NDArray rows = values.get(ids).toType(DataType.FLOAT32, false);
        NDArray scaled = rows.reshape(t, columns() / group, group).mul(scales.get(ids));
        return scaled.reshape(t, columns()).toType(type, false);
    }

    @Override
    public long rowBytes() {
        return columns() + columns() / group * Float.BYTES;
    }
}
