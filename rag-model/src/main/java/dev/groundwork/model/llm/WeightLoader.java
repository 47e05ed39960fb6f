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
 * Not thread-safe.
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
    private final ByteBuffer window;

    /**
     * @param dataType dtype of vectors (norms, biases) and of matrices unless {@code matrixType} says otherwise
     * @param matrixType dtype of projection and embedding matrices (fp16 for half-precision CPU storage)
     */
    WeightLoader(SafetensorsWeights weights, NDManager manager, Device device, DataType dataType,
            DataType matrixType) {
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
        NDArray flat = manager.zeros(new Shape(shape.size()), type);
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
