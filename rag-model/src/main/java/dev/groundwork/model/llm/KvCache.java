package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Keys and values of every layer for one sequence, preallocated to the sequence's full length
 * ({@code [kvHeads, capacity, headDim]} per layer) and written in place, so decoding allocates no cache memory.
 * Sliding-window layers also keep every position (the forward pass reads only the last W): simple and exact; a ring
 * buffer of W positions for those layers would cut their memory to W / capacity. Not thread-safe; close it to free
 * the arrays.
 */
final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int capacity;
    private int length;
    /** Direct views of the fp32 CPU arrays for {@link NativeDecoder}, made on first use. */
    private FloatBuffer[] keyViews;
    private FloatBuffer[] valueViews;
    private long[] keyAddresses;
    private long[] valueAddresses;

    KvCache(NDManager parent, ModelConfig c, int capacity, DataType dataType) {
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.keys = new NDArray[c.numLayers()];
        this.values = new NDArray[c.numLayers()];
        Shape shape = new Shape(c.numKvHeads(), capacity, c.headDim());
        for (int i = 0; i < keys.length; i++) {
            keys[i] = manager.zeros(shape, dataType);
            values[i] = manager.zeros(shape, dataType);
        }
    }

    /** Positions already stored. */
    int length() {
        return length;
    }

    int capacity() {
        return capacity;
    }

    /** Stores {@code k, v} ({@code [kvHeads, n, headDim]}) at positions {@code [length, length + n)} of a layer. */
    void write(int layer, NDArray k, NDArray v) {
        long n = k.getShape().get(1);
        if (length + n > capacity) {
            throw new IllegalStateException("KV cache full: " + length + " + " + n + " > " + capacity);
        }
        NDIndex slots = new NDIndex(":, {}:{}", length, length + n);
        keys[layer].set(slots, k);
        values[layer].set(slots, v);
    }

    /** Views of positions {@code [from, to)}: {@code [kvHeads, to - from, headDim]}. */
    NDArray keys(int layer, int from, int to) {
        return keys[layer].get(new NDIndex(":, {}:{}", from, to));
    }

    NDArray values(int layer, int from, int to) {
        return values[layer].get(new NDIndex(":, {}:{}", from, to));
    }

    /** Layer {@code layer}'s keys as a float view of their memory, {@code [kvHeads, capacity, headDim]} row-major. */
    FloatBuffer keyBuffer(int layer) {
        direct();
        return keyViews[layer];
    }

    FloatBuffer valueBuffer(int layer) {
        direct();
        return valueViews[layer];
    }

    /** Address of {@link #keyBuffer}'s first element, for the native kernels. */
    long keyAddress(int layer) {
        direct();
        return keyAddresses[layer];
    }

    long valueAddress(int layer) {
        direct();
        return valueAddresses[layer];
    }

    private void direct() {
        if (keyViews != null) {
            return;
        }
        int layers = keys.length;
        FloatBuffer[] k = new FloatBuffer[layers];
        FloatBuffer[] v = new FloatBuffer[layers];
        long[] ka = new long[layers];
        long[] va = new long[layers];
        for (int i = 0; i < layers; i++) {
            ByteBuffer kb = view(keys[i]);
            ByteBuffer vb = view(values[i]);
            k[i] = kb.asFloatBuffer();
            v[i] = vb.asFloatBuffer();
            ka[i] = NativeKernels.address(kb);
            va[i] = NativeKernels.address(vb);
        }
        keyViews = k;
        valueViews = v;
        keyAddresses = ka;
        valueAddresses = va;
    }

    /** The array's own memory (the arrays are contiguous CPU fp32, made by zeros): writes reach the array. */
    private static ByteBuffer view(NDArray array) {
        if (array.getDevice().isGpu() || array.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException("direct cache access needs fp32 CPU arrays, this is "
                    + array.getDataType() + " on " + array.getDevice());
        }
        ByteBuffer b = array.toByteBuffer(true);
        if (!b.isDirect() || b.capacity() != array.size() * Float.BYTES) {
            throw new IllegalStateException("the engine did not expose the KV cache's memory directly");
        }
        return b.order(ByteOrder.nativeOrder());
    }

    /** Marks {@code n} more positions as stored, after every layer wrote them. */
    void advance(int n) {
        length += n;
    }

    @Override
    public void close() {
        manager.close();
    }
}
