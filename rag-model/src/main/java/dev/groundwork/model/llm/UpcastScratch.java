package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * A forward pass's reusable state for multi-row products: the {@link NativePrefill} that multiplies them where the
 * model uses AMX; else one preallocated array per weight shape and dtype, into which half-precision weights are converted
 * (a model has a handful of distinct shapes, so this costs a few projection-sized arrays; int8 blocks,
 * {@link #dequantize}, get one per block shape), and the {@link CpuGemm} that remembers the fastest product per
 * shape. Not thread-safe: a copy is valid until the next call for the same shape.
 */
final class UpcastScratch {

    /** Parsed once: parsing an index from a string costs microseconds, and decode copies hundreds of blocks. */
    private final NDIndex all = new NDIndex(":");

    /** Which scratch array: a record, not a string built per call (decode looks up hundreds per token). */
    private record Key(Shape shape, int group, DataType type) {
    }

    private final NDManager manager;
    private final NativePrefill nativePrefill;
    private final CpuGemm gemm = new CpuGemm();
    private final Map<Key, NDArray> arrays = new HashMap<>();
    /** Per int8 block shape: the fp32 target and its {@code [rows, columns / group, group]} view. */
    private final Map<Key, NDArray[]> blocks = new HashMap<>();

    /** @param nativePrefill a prompt's products and attention on the native kernels, or null: the engine's */
    UpcastScratch(NDManager manager, NativePrefill nativePrefill) {
        this.manager = manager;
        this.nativePrefill = nativePrefill;
    }

    /** The native prompt kernels (AMX products) for multi-row inputs on CPU, or null where the engine runs them. */
    NativePrefill nativePrefill() {
        return nativePrefill;
    }

    /** The products of this forward pass. */
    CpuGemm gemm() {
        return gemm;
    }

    /** Matrices beyond this many elements (a vocabulary projection) are converted on the fly instead. */
    private static final long LARGEST_KEPT = 64L << 20;

    NDArray copyOf(NDArray weight, DataType type) {
        Shape shape = weight.getShape();
        if (shape.size() > LARGEST_KEPT) {
            return weight.toType(type, false); // freed with the caller's scope; rare (all-position logits)
        }
        NDArray target = arrays.computeIfAbsent(new Key(shape, 0, type), k -> {
            // created outside any caller's NDScope: it lives as long as the model
            NDArray a = manager.zeros(shape, type);
            NDScope.unregister(a);
            return a;
        });
        target.set(new NDIndex(":"), weight);
        return target;
    }

    /**
     * {@code values · scales} per group into the array for this block shape: {@code values [R, C]} int8,
     * {@code scales [R, C / group, 1]} float32, or null to convert without scaling (per-row scales are applied to
     * the product instead). Two engine calls.
     */
    NDArray dequantize(NDArray values, NDArray scales, int group, DataType type) {
        Shape shape = values.getShape();
        NDArray[] target = blocks.computeIfAbsent(new Key(shape, group, type), k -> {
            NDArray a = manager.zeros(shape, type);
            NDArray grouped = a.reshape(shape.get(0), shape.get(1) / group, group); // a view of a
            NDScope.unregister(a, grouped);
            return new NDArray[] {a, grouped};
        });
        target[0].set(all, values);
        if (scales != null) {
            target[1].muli(scales);
        }
        return target[0];
    }
}
