package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code x·Wᵀ + b} for a prompt's worth of fp32 rows on the CPU, by the fastest of libtorch's two matrix-multiply
 * back ends for each weight shape. Torch's {@code linear} calls MKL's sgemm, which on this AMD processor runs a
 * generic AVX2 path (130-150 GFLOP/s); a 1×1 convolution goes to oneDNN, which dispatches on the processor's features
 * and reaches 200-270 GFLOP/s, except on some shapes where it falls to 45-65 (measured: {@code [2560, 2048]} and
 * {@code [9728, 896]} slow, {@code [2304, 2048]}, {@code [2816, 2048]} and {@code [6144, 896]} fast; no rule of size
 * separates them, docs/benchmarks.md). So the first product of each weight shape times the candidates once, on its
 * own input: {@code linear}, and the convolution over the whole weight or over 2 or 4 slices of its output rows, whose
 * results are joined; later products of that shape use the fastest. The plans differ only in float rounding.
 * Below {@link #MIN_ROWS} rows {@code linear} is always used (the convolution's setup outweighs its speed).
 *
 * <p>Not thread-safe: one per forward pass ({@link UpcastScratch} holds it).
 */
final class CpuGemm {

    /** Rows from which the convolution was measured faster for most projection shapes. */
    static final int MIN_ROWS = 256;

    /** {@link #plan} value: libtorch's {@code linear}. Positive values: a convolution in that many output slices. */
    static final int LINEAR = 0;

    /** Slicings tried for the convolution. */
    private static final int[] SLICES = {1, 2, 4};

    private final Map<Shape, Integer> plans = new HashMap<>();

    /**
     * @param x {@code [T, in]}
     * @param weight {@code [out, in]}, same dtype as {@code x}
     * @param bias {@code [out]} or null
     * @return {@code [T, out]}
     */
    NDArray multiply(NDArray x, NDArray weight, NDArray bias) {
        long rows = x.getShape().get(0);
        if (rows < MIN_ROWS || x.getDevice().isGpu()) {
            return apply(LINEAR, x, weight, bias);
        }
        Integer plan = plans.get(weight.getShape());
        if (plan == null) {
            plan = fastest(x, weight, bias);
            plans.put(weight.getShape(), plan);
        }
        return apply(plan, x, weight, bias);
    }

    /** The plan chosen for a weight shape, or null before its first multi-row product; for tests. */
    Integer plan(Shape weightShape) {
        return plans.get(weightShape);
    }

    /** Times every candidate twice (the first run of a convolution also builds oneDNN's kernel) and keeps the best. */
    private static int fastest(NDArray x, NDArray weight, NDArray bias) {
        int best = LINEAR;
        long bestNanos = time(LINEAR, x, weight, bias);
        for (int slices : SLICES) {
            if (weight.getShape().get(0) / slices < 64) {
                break;
            }
            long nanos = time(slices, x, weight, bias);
            if (nanos < bestNanos) {
                best = slices;
                bestNanos = nanos;
            }
        }
        return best;
    }

    private static long time(int plan, NDArray x, NDArray weight, NDArray bias) {
        long best = Long.MAX_VALUE;
        for (int run = 0; run < 2; run++) {
            try (NDScope scope = new NDScope()) {
                long start = System.nanoTime();
                apply(plan, x, weight, bias);
                best = Math.min(best, System.nanoTime() - start);
            }
        }
        return best;
    }

    /** The product by one plan: {@link #LINEAR} or a convolution in {@code plan} output slices. */
    static NDArray apply(int plan, NDArray x, NDArray weight, NDArray bias) {
        if (plan == LINEAR) {
            return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
        }
        NDArray columns = x.transpose().expandDims(0);                                    // [1, in, T]
        if (plan == 1) {
            return convolve(columns, weight, bias);
        }
        long out = weight.getShape().get(0);
        long slice = (out + plan - 1) / plan;
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
