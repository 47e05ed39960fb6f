package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;

/**
 * A learned projection {@code y = x·Wᵀ + b} of activations {@code x [T, in]} to {@code [T, out]}, whatever the
 * weight's storage ({@link Linear}: fp32/fp16; {@link Int8Linear}: int8 with group scales). The forward pass only
 * sees this interface. Implementations are immutable; {@code apply} may use the scratch, so it is not thread-safe.
 */
interface Projection {

    /**
     * @param x {@code [T, in]} activations in the compute dtype
     * @param scratch reusable conversion buffers of the calling forward pass
     * @return {@code [T, out]} in the dtype of {@code x}, created in the caller's NDScope
     */
    NDArray apply(NDArray x, UpcastScratch scratch);

    /** Bytes of weights read from memory for one decoded token (the numerator of the decode roofline). */
    long decodeBytes();
}
