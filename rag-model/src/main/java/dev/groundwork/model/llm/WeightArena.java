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
 * <p>Arrays are carved one after another (64-byte aligned) out of slabs of {@link #SLAB_BYTES}, so that only a
 * slab's last huge page can be partly unused. A huge page is resident as a whole once touched, and one allocation per
 * array had rounded each up to 2 MiB: about 0.1 GB of a Qwen2.5-0.5B's 0.99 GB (its fused q/k/v projection, 2.06
 * MB, took 4 MiB). An array larger than half a slab gets an allocation of its own.
 *
 * <p>The engine does not own this memory: {@link #close()} frees it, so it must run after every array made here is
 * closed (the model closes its manager first). Arrays of 2 GiB or more, which a Java buffer cannot address, come
 * from the engine's allocator instead, as do arrays under {@link #MIN_BYTES}. Not thread-safe.
 */
final class WeightArena implements AutoCloseable {

    /** Below this an array (a norm, a bias) stays with the engine: it would not fill a 2 MiB page. */
    static final long MIN_BYTES = 1 << 20;

    /** Slab size: a layer's matrices of a small model, a few of a large one's. */
    static final int SLAB_BYTES = 64 << 20;

    private static final int ALIGN = 64;

    private final List<ByteBuffer> buffers = new ArrayList<>();
    /** The slab arrays are carved from, and where its free part starts; null before the first. */
    private ByteBuffer slab;
    private int used;

    /** A zeroed 1-D CPU array of {@code count} elements of {@code type}. */
    NDArray zeros(NDManager manager, long count, DataType type) {
        long bytes = count * type.getNumOfBytes();
        if (bytes >= Integer.MAX_VALUE || bytes < MIN_BYTES) {
            return manager.zeros(new Shape(count), type);
        }
        ByteBuffer memory = bytes > SLAB_BYTES / 2 ? allocate(bytes) : carve((int) bytes);
        return manager.create(memory.order(ByteOrder.nativeOrder()), new Shape(count), type);
    }

    /** {@code bytes} of the current slab, or of a new one when it has too little left. */
    private ByteBuffer carve(int bytes) {
        int from = (used + ALIGN - 1) / ALIGN * ALIGN;
        if (slab == null || from + bytes > SLAB_BYTES) {
            slab = allocate(SLAB_BYTES);
            from = 0;
        }
        used = from + bytes;
        return slab.duplicate().position(from).limit(used).slice();
    }

    private ByteBuffer allocate(long bytes) {
        ByteBuffer memory = NativeKernels.allocate(bytes);
        if (memory == null) {
            throw new OutOfMemoryError("cannot allocate " + bytes + " bytes for model weights");
        }
        buffers.add(memory);
        return memory;
    }

    @Override
    public void close() {
        for (ByteBuffer b : buffers) {
            NativeKernels.release(b);
        }
        buffers.clear();
        slab = null;
    }
}
