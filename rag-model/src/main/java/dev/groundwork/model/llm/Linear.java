package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * {@code y = x·Wᵀ + b} with the weight in Hugging Face's {@code [out, in]} layout (torch's {@code F.linear}).
 *
 * <p>When the weight is held in fp16 but activations are fp32, every product on a GPU and, on CPU (with
 * {@link LoadOptions.CpuWeights#FLOAT16}), a one-row input is multiplied in fp16 (a matrix-vector product reads
 * half the bytes); a multi-row input on CPU (prefill) goes to {@link NativePrefill} where the model uses it, else is
 * multiplied against an fp32 copy of the weight written into a reusable scratch array (allocating and freeing a fresh copy per product made the C allocator hold on to about
 * the size of the whole model), by {@link CpuGemm}. Immutable; the arrays belong to the model's manager.
 *
 * @param weight {@code [out, in]}, in the compute dtype or fp16
 * @param bias {@code [out]} in the compute dtype, or null
 * @param halfBias fp16 copy of {@code bias} when {@code weight} is fp16 and compute is not, else null
 */
record Linear(NDArray weight, NDArray bias, NDArray halfBias) implements Projection {

    @Override
    public NDArray apply(NDArray x, UpcastScratch scratch) {
        if (scratch.nativePrefill() != null && scratch.nativePrefill().multipliesProducts() && x.getShape().get(0) > 1
                && !weight.getDevice().isGpu()) {
            return scratch.nativePrefill().multiply(x, NativeMatrix.of(weight), bias);
        }
        if (weight.getDataType() == x.getDataType()) {
            return scratch.gemm().multiply(x, weight, bias);
        }
        if (x.getShape().get(0) == 1 || weight.getDevice().isGpu()) {
            NDArray h = x.toType(DataType.FLOAT16, false);
            return h.getNDArrayInternal().linear(h, weight, halfBias).singletonOrThrow().toType(x.getDataType(), false);
        }
        return scratch.gemm().multiply(x, scratch.copyOf(weight, x.getDataType()), bias);
    }

    /**
     * Projections with the same input stacked into one: output rows are the parts' outputs in order. A bias that
     * only some parts have counts as zero for the others.
     */
    static Linear loadStacked(WeightLoader loader, String[] prefixes, long[] outs, long in) {
        NDArray w = loader.loadStackedMatrices(weightNames(prefixes), outs, in);
        NDArray b = loadBias(loader, prefixes, outs);
        NDArray halfBias = b != null && w.getDataType() != b.getDataType() ? b.toType(w.getDataType(), true) : null;
        return new Linear(w, b, halfBias);
    }

    static String[] weightNames(String[] prefixes) {
        String[] weights = new String[prefixes.length];
        for (int i = 0; i < prefixes.length; i++) {
            weights[i] = prefixes[i] + ".weight";
        }
        return weights;
    }

    /** The stacked parts' biases in the vector dtype, or null when no part has one. */
    static NDArray loadBias(WeightLoader loader, String[] prefixes, long[] outs) {
        boolean anyBias = false;
        for (String prefix : prefixes) {
            anyBias |= loader.has(prefix + ".bias");
        }
        if (!anyBias) {
            return null;
        }
        NDList parts = new NDList();
        for (int i = 0; i < prefixes.length; i++) {
            parts.add(loader.has(prefixes[i] + ".bias") ? loader.load(prefixes[i] + ".bias", outs[i])
                    : loader.zeros(outs[i]));
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }

    @Override
    public long decodeBytes() {
        return weight.size() * weight.getDataType().getNumOfBytes();
    }
}
