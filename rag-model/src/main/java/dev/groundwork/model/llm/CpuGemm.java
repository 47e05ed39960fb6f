package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.convolutional.Conv1d;

/**
 * {@code x·Wᵀ + b} for a prompt's worth of fp32 rows on the CPU, by the faster of libtorch's two matrix-multiply
 * back ends. Torch's {@code linear} calls MKL's sgemm, which on this AMD processor runs a generic AVX2 path;
 * a 1×1 convolution goes to oneDNN, which dispatches on the processor's features (AVX-512 here) and multiplied
 * 512 rows by the Qwen2.5-0.5B projections 1.35–1.8× faster (docs/benchmarks.md, "Prefill through oneDNN").
 * Below {@link #MIN_ROWS} rows the convolution's setup outweighs that, so {@code linear} is kept there. Past
 * {@link #MAX_CONVOLUTION_OUT} output channels oneDNN's convolution falls to a third of its speed (measured: 205-224
 * GFLOP/s up to 6144 outputs, 64 at 9728, the stacked gate/up of Qwen2.5-0.5B), so wider weights are multiplied in
 * row slices of at most that many outputs and the results joined. Stateless.
 */
final class CpuGemm {

    /** Rows from which the convolution was measured faster for every projection shape. */
    static final int MIN_ROWS = 256;

    /** Output channels up to which one convolution stays fast. */
    static final int MAX_CONVOLUTION_OUT = 6144;

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
        NDArray columns = x.transpose().expandDims(0);                                    // [1, in, T]
        if (out <= MAX_CONVOLUTION_OUT) {
            return convolve(columns, weight, bias);
        }
        long parts = (out + MAX_CONVOLUTION_OUT - 1) / MAX_CONVOLUTION_OUT;
        long slice = (out + parts - 1) / parts;
        NDList pieces = new NDList();
        for (long from = 0; from < out; from += slice) {
            NDIndex part = new NDIndex("{}:{}", from, Math.min(out, from + slice));
            pieces.add(convolve(columns, weight.get(part), bias == null ? null : bias.get(part)));
        }
        return NDArrays.concat(pieces, 1);                                                // [T, out]
    }

    /** The rows become the convolution's length: {@code [1, in, T] ⊛ [out, in, 1] = [1, out, T]}, as [T, out]. */
    private static NDArray convolve(NDArray columns, NDArray weight, NDArray bias) {
        NDArray kernel = weight.reshape(weight.getShape().get(0), weight.getShape().get(1), 1);
        return Conv1d.conv1d(columns, kernel, bias).singletonOrThrow().squeeze(0).transpose();
    }
}
