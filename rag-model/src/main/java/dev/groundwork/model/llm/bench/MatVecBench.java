package dev.groundwork.model.llm.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * How fast libtorch's CPU kernel multiplies one fp16 row by an fp16 weight matrix, the operation decode spends most
 * of its time in, next to the streaming bandwidth {@link LlmBench} uses for its roofline. Each layer shape is held
 * in 24 copies (one per layer of Qwen2.5-0.5B), the vocabulary projection in two, and the copies are multiplied in
 * turn, so weights come from memory, not from cache, as in a real decode step. Usage: {@code MatVecBench}; threads follow
 * {@code -Dai.djl.pytorch.num_threads}.
 */
public final class MatVecBench {

    private static final int COPIES = 24;
    private static final int ROUNDS = 10;

    private MatVecBench() {
    }

    public static void main(String[] args) {
        // Qwen2.5-0.5B: stacked q/k/v, o, stacked gate/up, down
        long[][] shapes = {{1152, 896}, {896, 896}, {9728, 896}, {896, 4864}, {151936, 896}};
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            for (long[] shape : shapes) {
                try (NDManager sub = manager.newSubManager()) {
                    // two copies of the vocabulary projection (272 MB each) already exceed every cache
                    int copies = shape[0] * shape[1] > (64 << 20) ? 2 : COPIES;
                    NDArray[] weights = new NDArray[copies];
                    for (int i = 0; i < copies; i++) {
                        weights[i] = sub.randomNormal(new Shape(shape)).toType(DataType.FLOAT16, false);
                    }
                    NDArray x = sub.randomNormal(new Shape(1, shape[1])).toType(DataType.FLOAT16, false);
                    double best = Double.MAX_VALUE;
                    for (int round = 0; round < ROUNDS; round++) {
                        long t = System.nanoTime();
                        for (NDArray w : weights) {
                            x.getNDArrayInternal().linear(x, w, null).singletonOrThrow().close();
                        }
                        best = Math.min(best, (System.nanoTime() - t) / 1e3 / copies);
                    }
                    long bytes = weights[0].size() * 2;
                    System.out.printf("fp16 [1, %d] x [%d, %d]^T: %.1f us, %.1f GB/s%n", shape[1], shape[0], shape[1],
                            best, bytes / best / 1e3);
                }
            }
        }
        System.out.printf("streaming read (sum of 2 GiB fp32): %.1f GB/s%n", LlmBench.bandwidthBytesPerSecond() / 1e9);
    }
}
