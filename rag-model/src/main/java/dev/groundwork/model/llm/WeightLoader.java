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
import java.util.Arrays;

/**
 * Copies safetensors tensors into engine-owned NDArrays. Each tensor is converted to float32 in Java through one
 * reusable off-heap window (bf16/f16 never reach DJL, which cannot hold bf16), copied into a preallocated array,
 * then moved to the target device and dtype. Peak extra memory is one window, whatever the checkpoint size.
 * Not thread-safe.
 */
final class WeightLoader {

    private static final int WINDOW_FLOATS = 4 << 20;

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
        TensorInfo info = weights.require(name);
        if (!Arrays.equals(info.shape(), expectedShape)) {
            throw new SafetensorsException("tensor '" + name + "' has shape " + Arrays.toString(info.shape())
                    + " but config.json implies " + Arrays.toString(expectedShape));
        }
        NDArray result = copy(info, type);
        if (type == DataType.FLOAT16 && dataType == DataType.FLOAT32) {
            boolean overflow;
            try (NDArray infinite = result.isInfinite(); NDArray any = infinite.any()) {
                overflow = any.getBoolean();
            }
            if (overflow) { // beyond fp16's range: keep this matrix in fp32
                result.close();
                result = copy(info, DataType.FLOAT32);
            }
        }
        return result;
    }

    /**
     * Converts the tensor window by window straight into a preallocated array of the target dtype and device:
     * no full-size temporary (freed temporaries of model size stayed resident in the C allocator).
     */
    private NDArray copy(TensorInfo info, DataType type) {
        long count = info.elementCount();
        NDArray flat = manager.zeros(new Shape(count), type);
        try (NDManager cpu = manager.newSubManager(Device.cpu())) {
            for (long first = 0; first < count; first += WINDOW_FLOATS) {
                int n = (int) Math.min(WINDOW_FLOATS, count - first);
                window.clear();
                weights.readFloats(info, first, window.asFloatBuffer().limit(n));
                ByteBuffer chunkBytes = window.duplicate().order(ByteOrder.nativeOrder()).limit(n * Float.BYTES);
                // the chunk wraps the window's memory; set() copies (and converts) it into the target
                NDArray chunk = cpu.create(chunkBytes, new Shape(n), DataType.FLOAT32);
                NDArray source = device.isGpu() ? chunk.toDevice(device, false) : chunk;
                flat.set(new NDIndex("{}:{}", first, first + n), source);
                chunk.close();
            }
        }
        NDArray shaped = flat.reshape(new Shape(info.shape()));
        flat.close();
        return shaped;
    }
}
