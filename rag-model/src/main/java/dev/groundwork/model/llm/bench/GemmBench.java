package dev.groundwork.model.llm.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;

/**
 * The two ways libtorch can multiply a prompt's rows by a projection on the CPU, side by side: torch's
 * {@code linear} (MKL's sgemm) and a 1×1 convolution (oneDNN), as {@code CpuGemm} chooses between them. Prints the
 * best of 6 runs per shape and row count in GFLOP/s. Usage: {@code GemmBench [rows...]} (default 32 128 256 512);
 * threads follow {@code -Dai.djl.pytorch.num_threads}.
 */
public final class GemmBench {

    private GemmBench() {
    }

    public static void main(String[] args) {
        int[] rowCounts = args.length == 0 ? new int[] {32, 128, 256, 512}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        // Qwen2.5-0.5B: stacked q/k/v, o, stacked gate/up, down
        long[][] shapes = {{1152, 896}, {896, 896}, {9728, 896}, {896, 4864}};
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            for (int rows : rowCounts) {
                for (long[] shape : shapes) {
                    try (NDManager sub = manager.newSubManager()) {
                        NDArray x = sub.randomNormal(new Shape(rows, shape[1]));
                        NDArray w = sub.randomNormal(new Shape(shape[0], shape[1])).mul(0.02f);
                        NDArray kernel = w.reshape(shape[0], shape[1], 1);
                        double linear = Double.MAX_VALUE;
                        double conv = Double.MAX_VALUE;
                        for (int run = 0; run < 6; run++) {
                            long t = System.nanoTime();
                            x.getNDArrayInternal().linear(x, w, null).singletonOrThrow().close();
                            linear = Math.min(linear, (System.nanoTime() - t) / 1e9);
                            t = System.nanoTime();
                            // as CpuGemm does it, including making the result [rows, out] again
                            Conv1d.conv1d(x.transpose().expandDims(0), kernel).singletonOrThrow().squeeze(0)
                                    .transpose().duplicate().close();
                            conv = Math.min(conv, (System.nanoTime() - t) / 1e9);
                        }
                        double flops = 2.0 * rows * shape[0] * shape[1];
                        System.out.printf("%4d rows x [%d, %d]^T: linear %6.1f GFLOP/s, 1x1 convolution %6.1f GFLOP/s"
                                + " (%.2fx)%n", rows, shape[0], shape[1], flops / linear / 1e9, flops / conv / 1e9,
                                linear / conv);
                    }
                }
            }
        }
    }
}
