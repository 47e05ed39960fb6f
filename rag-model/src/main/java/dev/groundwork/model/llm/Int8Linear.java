package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * {@code y = x·Wᵀ + b} with W held as an {@link Int8Matrix}. libtorch has no int8 × float product, so W is
 * dequantized to fp32 block by block of rows into a reusable scratch array and each block multiplied at once:
 * a block ({@value #BLOCK_ELEMENTS} weights, 8 MB in fp32) stays in the last-level cache between its conversion
 * and its product, so memory streams only the int8 bytes. fp32 rather than fp16 because libtorch converts int8 to
 * fp32 about five times faster than to fp16 on this CPU (measured: 0.28 vs 1.5 ms for a 9728 × 896 matrix), which
 * outweighs the faster fp16 product. Larger blocks cost cache misses, smaller ones engine calls (three per
 * block). Immutable; the arrays belong to the model's manager.
 */
final class Int8Linear implements Projection {

    /** Weights per dequantized block: 8 MB of fp32, a quarter of this machine's 32 MB L3. */
    static final long BLOCK_ELEMENTS = 1L << 21;

    private final Int8Matrix weight;
    private final NDArray bias;
    private final NDArray[] valueBlocks;
    private final NDArray[] scaleBlocks;
    /** {@code [rows]} scales applied to the output when a row is one group (cheaper than scaling W), else null. */
    private final NDArray rowScales;

    /**
     * @param bias {@code [rows]} in the compute dtype, or null
     */
    Int8Linear(Int8Matrix weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
        long rows = weight.rows();
        long perBlock = Math.max(1, BLOCK_ELEMENTS / weight.columns());
        int blocks = Math.toIntExact((rows + perBlock - 1) / perBlock);
        this.valueBlocks = new NDArray[blocks];
        this.scaleBlocks = new NDArray[blocks];
        for (int b = 0; b < blocks; b++) {
            NDIndex range = new NDIndex("{}:{}", b * perBlock, Math.min(rows, (b + 1) * perBlock));
            valueBlocks[b] = weight.values().get(range);   // views: no copies
            scaleBlocks[b] = weight.scales().get(range);
        }
        this.rowScales = weight.group() == weight.columns() ? weight.scales().reshape(rows) : null;
    }

    Int8Matrix weight() {
        return weight;
    }

    /** {@code [rows]} or null. */
    NDArray bias() {
        return bias;
    }

    @Override
    public NDArray apply(NDArray x, UpcastScratch scratch) {
        if (scratch.nativePrefill() != null && scratch.nativePrefill().multipliesProducts() && x.getShape().get(0) > 1
                && weight.group() % 16 == 0) {
            return scratch.nativePrefill().multiply(x, NativeMatrix.of(weight), bias); // dequantizes in registers
        }
        NDList parts = new NDList(valueBlocks.length);
        for (int b = 0; b < valueBlocks.length; b++) {
            NDArray w = scratch.dequantize(valueBlocks[b], rowScales == null ? scaleBlocks[b] : null, weight.group(),
                    x.getDataType());
            parts.add(scratch.gemm().multiply(x, w, null));
        }
        NDArray y = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, -1);
        if (rowScales != null) {
            y = y.mul(rowScales);
        }
        return bias == null ? y : y.add(bias);
    }

    @Override
    public long decodeBytes() {
        return weight.bytes();
    }
}
