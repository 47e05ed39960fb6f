package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
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
    /** Per layer, views of the fp32 CPU arrays for {@link NativeDecoder}; null until first asked. */
    private Direct[] direct;

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

    /**
     * Layer {@code layer}'s keys and values as views of their memory ({@code [kvHeads, capacity, headDim]}
     * row-major) and its addresses, for {@link NativeDecoder}; made for every layer on first use.
     */
    Direct direct(int layer) {
        if (direct == null) {
            Direct[] views = new Direct[keys.length];
            for (int i = 0; i < views.length; i++) {
                ByteBuffer k = NativeKernels.memoryOf(keys[i], DataType.FLOAT32);
                ByteBuffer v = NativeKernels.memoryOf(values[i], DataType.FLOAT32);
                views[i] = new Direct(k.asFloatBuffer(), v.asFloatBuffer(), NativeKernels.address(k),
                        NativeKernels.address(v));
            }
            direct = views;
        }
        return direct[layer];
    }

    /** One layer's cache memory: float views and the addresses of their first elements. */
    record Direct(FloatBuffer keys, FloatBuffer values, long keyAddress, long valueAddress) {
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
