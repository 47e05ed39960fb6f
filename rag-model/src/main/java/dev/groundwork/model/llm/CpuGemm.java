package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.convolutional.Conv1d;

/**
 * {@code x·Wᵀ + b} for a prompt's worth of fp32 rows on the CPU, by the faster of libtorch's two matrix-multiply
 * back ends. Torch's {@code linear} calls MKL's sgemm, which on this AMD processor runs a generic AVX2 path;
 * a 1×1 convolution goes to oneDNN, which dispatches on the processor's features (AVX-512 here) and multiplied
 * 512 rows by the Qwen2.5-0.5B projections 1.35–1.8× faster (docs/benchmarks.md, "Prefill through oneDNN").
 * Below {@link #MIN_ROWS} rows the convolution's setup outweighs that, so {@code linear} is kept there.
 * Stateless.
 */
final class CpuGemm {

    /** Rows from which the convolution was measured faster for every projection shape. */
    static final int MIN_ROWS = 256;

    private CpuGemm() {
    }

    /**
     * @param x {@code [T, in]}
     * @param weight {@code [out, in]}, same dtype as {@code x}
     * @param bias {@code [out]} or null
     * @return {@code [T, out]}
     */
    static NDArray multiply(NDArray x, NDArray weight, NDArray bias) {
        long rows = x.getShape().get(0);
        if (rows < MIN_ROWS || x.getDevice().isGpu()) {
            return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
        }
        long out = weight.getShape().get(0);
        long in = weight.getShape().get(1);
        // the rows become the convolution's length: [1, in, T] ⊛ [out, in, 1] = [1, out, T]
        NDArray kernel = weight.reshape(out, in, 1);
        NDArray y = Conv1d.conv1d(x.transpose().expandDims(0), kernel, bias).singletonOrThrow();
        return y.squeeze(0).transpose();                                                  // [T, out]
    }
}
