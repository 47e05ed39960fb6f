package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * {@code y = x·Wᵀ + b} with the weight in Hugging Face's {@code [out, in]} layout (torch's {@code F.linear}).
 * Optionally holds an fp16 copy used for single-row inputs: on CPUs where MKL's fp32 matrix-vector kernel is slow,
 * the fp16 path reads half the bytes per decoded token. Immutable; the arrays belong to the model's manager.
 *
 * @param weight {@code [out, in]}
 * @param bias {@code [out]} or null
 * @param halfWeight fp16 copy of {@code weight} for one-row inputs, or null
 * @param halfBias fp16 copy of {@code bias}, or null
 */
record Linear(NDArray weight, NDArray bias, NDArray halfWeight, NDArray halfBias) {

    NDArray apply(NDArray x) {
        if (halfWeight != null && x.getShape().get(0) == 1) {
            NDArray h = x.toType(DataType.FLOAT16, false);
            return h.getNDArrayInternal().linear(h, halfWeight, halfBias).singletonOrThrow()
                    .toType(x.getDataType(), false);
        }
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    static Linear load(WeightLoader loader, String prefix, long out, long in, boolean halfCopy) {
        NDArray w = loader.load(prefix + ".weight", out, in);
        NDArray b = loader.has(prefix + ".bias") ? loader.load(prefix + ".bias", out) : null;
        if (!halfCopy) {
            return new Linear(w, b, null, null);
        }
        return new Linear(w, b, w.toType(DataType.FLOAT16, true), b == null ? null : b.toType(DataType.FLOAT16, true));
    }

    /** Bytes of weights read for one decoded token (the half copy when present). */
    long decodeBytes() {
        NDArray used = halfWeight != null ? halfWeight : weight;
        return used.size() * used.getDataType().getNumOfBytes();
    }
}
