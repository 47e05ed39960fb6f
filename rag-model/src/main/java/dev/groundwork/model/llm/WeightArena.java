package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Weight memory on huge pages for CPU models: zeroed arrays whose storage {@link NativeKernels#allocate} advised
 * for transparent huge pages, wrapped (not copied) as engine arrays. A decode step streams every weight once, and
 * with 4 KiB pages the products lost about a quarter of the bandwidth to TLB misses (docs/benchmarks.md).
 *
 * <p>The engine does not own this memory: {@link #close()} frees it, so it must run after every array made here is
 * closed (the model closes its manager first). Arrays of 2 GiB or more, which a Java buffer cannot address, come
 * from the engine's allocator instead, as do arrays under {@link #MIN_BYTES}. Not thread-safe.
 */
final class WeightArena implements AutoCloseable {

    /** Below this an array (a norm, a bias) stays with the engine: it would not fill a 2 MiB page. */
    static final long MIN_BYTES = 1 << 20;

    private final List<ByteBuffer> buffers = new ArrayList<>();

    /** A zeroed 1-D CPU array of {@code count} elements of {@code type}. */
    NDArray zeros(NDManager manager, long count, DataType type) {
        long bytes = count * type.getNumOfBytes();
        if (bytes >= Integer.MAX_VALUE || bytes < MIN_BYTES) {
            return manager.zeros(new Shape(count), type);
        }
        ByteBuffer memory = NativeKernels.allocate(bytes);
        if (memory == null) {
            throw new OutOfMemoryError("cannot allocate " + bytes + " bytes for model weights");
        }
        buffers.add(memory);
        return manager.create(memory.order(ByteOrder.nativeOrder()), new Shape(count), type);
    }

    @Override
    public void close() {
        for (ByteBuffer b : buffers) {
            NativeKernels.release(b);
        }
        buffers.clear();
    }
}
