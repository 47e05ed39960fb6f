package dev.groundwork.model.llm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.groundwork.model.safetensors.SafetensorsException;
import dev.groundwork.model.safetensors.SafetensorsWeights;
import dev.groundwork.model.safetensors.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Copies safetensors tensors into engine-owned NDArrays. Each tensor is converted to float32 in Java through one
 * reusable off-heap window (bf16/f16 never reach DJL, which cannot hold bf16), copied into a preallocated array,
 * then moved to the target device and dtype. Peak extra memory is one window, whatever the checkpoint size.
 * With an int8 group size, {@link #loadInt8} quantizes projection matrices in Java window by window the same way,
 * so a full-precision copy of a matrix never exists. Not thread-safe.
 */
final class WeightLoader {

    private static final int WINDOW_FLOATS = 4 << 20;
    /** Largest finite fp16 value; a little above rounds to infinity. */
    private static final float HALF_MAX = 65504f;

    private final SafetensorsWeights weights;
    private final NDManager manager;
    private final Device device;
    private final DataType dataType;
    private final DataType matrixType;
    private final int int8Group;
    private final WeightArena arena;
    private final ByteBuffer window;
    private ByteBuffer int8Window;
    private ByteBuffer scaleWindow;

    WeightLoader(SafetensorsWeights weights, NDManager manager, Device device, DataType dataType,
            DataType matrixType) {
        this(weights, manager, device, dataType, matrixType, 0, null);
    }

    /**
     * @param dataType dtype of vectors (norms, biases) and of matrices unless {@code matrixType} says otherwise
     * @param matrixType dtype of projection and embedding matrices (fp16 for half-precision CPU storage)
     * @param int8Group columns per scale of int8 matrices ({@link #loadInt8}); 0 when matrices are not quantized
     * @param arena where CPU matrices and vectors are allocated (huge pages), or null for the engine's allocator
     */
    WeightLoader(SafetensorsWeights weights, NDManager manager, Device device, DataType dataType,
            DataType matrixType, int int8Group, WeightArena arena) {
        if (int8Group < 0) {
            throw new IllegalArgumentException("int8Group must be >= 0, was " + int8Group);
        }
        this.int8Group = int8Group;
        this.arena = device.isGpu() ? null : arena;
        this.weights = weights;
        this.manager = manager;
        this.device = device;
        this.dataType = dataType;
        this.matrixType = matrixType;
        this.window = ByteBuffer.allocateDirect(WINDOW_FLOATS * Float.BYTES).order(ByteOrder.nativeOrder());
    }

    /** A zero vector of the vector dtype (a bias a checkpoint leaves out). */
    NDArray zeros(long length) {
        return manager.zeros(new Shape(length), dataType);
    }

    boolean has(String name) {
        return weights.find(name).isPresent();
    }

    /** A projection or embedding matrix, in the matrix dtype; fp32 if fp16 cannot hold its values. */
    NDArray loadMatrix(String name, long... expectedShape) {
        return load(name, matrixType, expectedShape);
    }

    /** @throws SafetensorsException naming the tensor if it is missing or has another shape */
    NDArray load(String name, long... expectedShape) {
        return load(name, dataType, expectedShape);
    }

    private NDArray load(String name, DataType type, long... expectedShape) {
        TensorInfo info = require(name, expectedShape);
        return convertChecked(new TensorInfo[] {info}, type, new Shape(expectedShape));
    }

    /**
     * Matrices {@code [rows_i, columns]} stacked along the first axis into one {@code [Σ rows_i, columns]} array,
     * written in place (no per-part copies that would then be concatenated).
     */
    NDArray loadStackedMatrices(String[] names, long[] rows, long columns) {
        TensorInfo[] parts = new TensorInfo[names.length];
        long total = 0;
        for (int i = 0; i < names.length; i++) {
            parts[i] = require(names[i], rows[i], columns);
            total += rows[i];
        }
        return convertChecked(parts, matrixType, new Shape(total, columns));
    }

    /** Whether projection and embedding matrices are to be loaded with {@link #loadInt8}. */
    boolean int8() {
        return int8Group > 0;
    }

    /**
     * Matrices {@code [rows_i, columns]} stacked along the first axis, quantized to int8 with the loader's group
     * size (a row not divisible by it is one group, see {@link Int8Matrix#groupFor}), on CPU.
     *
     * @throws SafetensorsException naming the tensor if it is missing, has another shape or a non-finite value
     */
    Int8Matrix loadInt8(String[] names, long[] rows, long columns) {
        if (!int8() || device.isGpu()) {
            throw new IllegalStateException("this loader does not quantize to int8");
        }
        TensorInfo[] parts = new TensorInfo[names.length];
        long total = 0;
        for (int i = 0; i < names.length; i++) {
            parts[i] = require(names[i], rows[i], columns);
            total += rows[i];
        }
        int group = Int8Matrix.groupFor(columns, int8Group);
        if (group > WINDOW_FLOATS) {
            throw new SafetensorsException("tensor '" + names[0] + "' has rows of " + columns
                    + " values, too wide to quantize per row");
        }
        int windowFloats = WINDOW_FLOATS / group * group; // whole groups per window
        if (int8Window == null) {
            int8Window = ByteBuffer.allocateDirect(WINDOW_FLOATS).order(ByteOrder.nativeOrder());
            scaleWindow = ByteBuffer.allocateDirect(WINDOW_FLOATS * Float.BYTES).order(ByteOrder.nativeOrder());
        }
        NDArray values = arena == null ? manager.zeros(new Shape(total * columns), DataType.INT8)
                : arena.zeros(manager, total * columns, DataType.INT8);
        NDArray scales = arena == null ? manager.zeros(new Shape(total * columns / group), DataType.FLOAT32)
                : arena.zeros(manager, total * columns / group, DataType.FLOAT32);
        long offset = 0;
        try (NDManager cpu = manager.newSubManager(Device.cpu())) {
            for (TensorInfo info : parts) {
                long count = info.elementCount();
                for (long first = 0; first < count; first += windowFloats) {
                    int n = (int) Math.min(windowFloats, count - first);
                    window.clear();
                    FloatBuffer floats = window.asFloatBuffer().limit(n);
                    weights.readFloats(info, first, floats);
                    FloatBuffer scaleFloats = scaleWindow.asFloatBuffer();
                    long bad = Int8Matrix.quantize(floats, n, group, int8Window, scaleFloats);
                    if (bad >= 0) {
                        values.close();
                        scales.close();
                        throw new SafetensorsException("tensor '" + info.name() + "' holds a non-finite value at "
                                + "element " + (first + bad) + ": it cannot be quantized to int8");
                    }
                    long at = offset + first;
                    NDArray q = cpu.create(int8Window.duplicate().limit(n), new Shape(n), DataType.INT8);
                    values.set(new NDIndex("{}:{}", at, at + n), q);
                    NDArray s = cpu.create(scaleWindow.duplicate().order(ByteOrder.nativeOrder())
                            .limit(n / group * Float.BYTES), new Shape(n / group), DataType.FLOAT32);
                    scales.set(new NDIndex("{}:{}", at / group, (at + n) / group), s);
                    q.close();
                    s.close();
                }
                offset += count;
            }
        }
        Int8Matrix matrix = new Int8Matrix(values.reshape(total, columns),
                scales.reshape(total, columns / group, 1), group);
        values.close();
        scales.close();
        return matrix;
    }

    private TensorInfo require(String name, long... expectedShape) {
        TensorInfo info = weights.require(name);
        if (!Arrays.equals(info.shape(), expectedShape)) {
            throw new SafetensorsException("tensor '" + name + "' has shape " + Arrays.toString(info.shape())
                    + " but config.json implies " + Arrays.toString(expectedShape));
        }
        return info;
    }

    private NDArray convertChecked(TensorInfo[] parts, DataType type, Shape shape) {
        try {
            return convert(parts, type, shape);
        } catch (HalfOverflow e) { // beyond fp16's range: keep this matrix in fp32
            try {
                return convert(parts, DataType.FLOAT32, shape);
            } catch (HalfOverflow impossible) { // only fp16 targets are range-checked
                throw new AssertionError(impossible);
            }
        }
    }

    /** A value does not fit fp16; thrown before anything is kept. */
    private static final class HalfOverflow extends Exception {
        HalfOverflow() {
            super(null, null, false, false);
        }
    }

    /**
     * Converts the tensors window by window straight into one preallocated array of the target dtype and device:
     * no full-size temporary (freed temporaries of model size stayed resident in the C allocator).
     */
    private NDArray convert(TensorInfo[] parts, DataType type, Shape shape) throws HalfOverflow {
        NDArray flat = arena == null ? manager.zeros(new Shape(shape.size()), type)
                : arena.zeros(manager, shape.size(), type);
        long offset = 0;
        boolean checkRange = type == DataType.FLOAT16 && dataType == DataType.FLOAT32;
        try (NDManager cpu = manager.newSubManager(Device.cpu())) {
            for (TensorInfo info : parts) {
                long count = info.elementCount();
                for (long first = 0; first < count; first += WINDOW_FLOATS) {
                    int n = (int) Math.min(WINDOW_FLOATS, count - first);
                    window.clear();
                    FloatBuffer floats = window.asFloatBuffer().limit(n);
                    weights.readFloats(info, first, floats);
                    if (checkRange && !fitsHalf(floats.flip())) {
                        flat.close();
                        throw new HalfOverflow();
                    }
                    ByteBuffer chunkBytes = window.duplicate().order(ByteOrder.nativeOrder()).limit(n * Float.BYTES);
                    // the chunk wraps the window's memory; set() copies (and converts) it into the target
                    NDArray chunk = cpu.create(chunkBytes, new Shape(n), DataType.FLOAT32);
                    NDArray source = device.isGpu() ? chunk.toDevice(device, false) : chunk;
                    flat.set(new NDIndex("{}:{}", offset + first, offset + first + n), source);
                    chunk.close();
                }
                offset += count;
            }
        }
        NDArray shaped = flat.reshape(shape);
        flat.close();
        return shaped;
    }

    private static boolean fitsHalf(FloatBuffer values) {
        for (int i = values.position(); i < values.limit(); i++) {
            float v = values.get(i);
            if (Math.abs(v) > HALF_MAX && !Float.isInfinite(v)) {
                return false;
            }
        }
        return true;
    }
}
