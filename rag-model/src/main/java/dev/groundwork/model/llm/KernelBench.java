package dev.groundwork.model.llm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.groundwork.model.llm.bench.LlmBench;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * A benchmark command, not used by the runtime: the decode step's matrix-vector products on libtorch's fp16 kernel
 * (what the engine decoder runs) and on {@link NativeKernels} (fp16 and int8), over the same huge-page weight memory,
 * in one run, next to the streaming bandwidth {@link LlmBench} uses for its roofline. Each Qwen2.5-0.5B layer shape is
 * held in 24 copies (one per layer), the vocabulary projection in two, multiplied in turn so weights come from
 * memory. It lives here because the kernels are package-private (they take raw addresses).
 *
 * <p>Usage: {@code java -cp rag-model.jar dev.groundwork.model.llm.KernelBench}; torch threads follow
 * {@code -Dai.djl.pytorch.num_threads}, the kernels' pool uses as many.
 */
public final class KernelBench {

    private static final int COPIES = 24;
    private static final int ROUNDS = 10;

    private KernelBench() {
    }

    public static void main(String[] args) {
        NativeKernels.unavailable().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
        long[][] shapes = {{1152, 896}, {896, 896}, {9728, 896}, {896, 4864}, {151936, 896}};
        long pool = NativeKernels.poolCreate(threads, NativeKernels.AVX512);
        System.out.printf("native kernels: %s, %d threads%n", NativeKernels.isaName(NativeKernels.poolIsa(pool)),
                NativeKernels.poolThreads(pool));
        System.out.println("shape [out, in] | libtorch fp16 linear | native fp16 | native int8 (scale per 64)");
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager(); WeightArena arena = new WeightArena()) {
            SplittableRandom random = new SplittableRandom(1);
            for (long[] shape : shapes) {
                int rows = Math.toIntExact(shape[0]);
                int cols = Math.toIntExact(shape[1]);
                try (NDManager sub = manager.newSubManager()) {
                    int copies = (long) rows * cols > (64 << 20) ? 2 : COPIES;
                    NDArray[] half = new NDArray[copies];
                    long[] halfAt = new long[copies];
                    long[] int8At = new long[copies];
                    long[] scalesAt = new long[copies];
                    for (int i = 0; i < copies; i++) {
                        half[i] = arena.zeros(sub, (long) rows * cols, DataType.FLOAT16).reshape(rows, cols);
                        half[i].set(sub.randomNormal(new Shape(rows, cols)).toType(DataType.FLOAT16, false)
                                .toByteBuffer());
                        halfAt[i] = NativeKernels.address(NativeKernels.memoryOf(half[i], DataType.FLOAT16));
                        NDArray q = arena.zeros(sub, (long) rows * cols, DataType.INT8);
                        ByteBuffer values = NativeKernels.memoryOf(q, DataType.INT8);
                        for (int b = 0; b < values.capacity(); b++) {
                            values.put(b, (byte) (random.nextInt(255) - 127));
                        }
                        int8At[i] = NativeKernels.address(values);
                        NDArray s = arena.zeros(sub, (long) rows * cols / 64, DataType.FLOAT32);
                        s.set(sub.ones(new Shape((long) rows * cols / 64)).mul(0.01f).toByteBuffer());
                        scalesAt[i] = NativeKernels.address(NativeKernels.memoryOf(s, DataType.FLOAT32));
                    }
                    NDArray x = sub.randomNormal(new Shape(1, cols)).toType(DataType.FLOAT16, false);
                    float[] xs = x.toType(DataType.FLOAT32, false).toFloatArray();
                    float[] y = new float[rows];
                    double torch = best(() -> {
                        for (NDArray w : half) {
                            x.getNDArrayInternal().linear(x, w, null).singletonOrThrow().close();
                        }
                    }) / copies;
                    double fp16 = best(() -> {
                        for (long w : halfAt) {
                            NativeKernels.matVec(pool, NativeKernels.F16, w, rows, cols, xs, y);
                        }
                    }) / copies;
                    double int8 = best(() -> {
                        for (int i = 0; i < copies; i++) {
                            NativeKernels.matVecQ8(pool, int8At[i], scalesAt[i], 64, rows, cols, xs, y);
                        }
                    }) / copies;
                    long halfBytes = 2L * rows * cols;
                    long int8Bytes = (long) rows * cols + 4L * rows * cols / 64;
                    System.out.printf("[%d, %d] | %.1f us, %.1f GB/s | %.1f us, %.1f GB/s | %.1f us, %.1f GB/s%n",
                            rows, cols, torch, halfBytes / torch / 1e3, fp16, halfBytes / fp16 / 1e3, int8,
                            int8Bytes / int8 / 1e3);
                }
            }
        } finally {
            NativeKernels.poolDestroy(pool);
        }
        System.out.printf("streaming read (sum of 2 GiB fp32): %.1f GB/s%n", LlmBench.bandwidthBytesPerSecond() / 1e9);
    }

    /** Best of {@value #ROUNDS} timings of {@code run}, in microseconds. */
    private static double best(Runnable run) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long t = System.nanoTime();
            run.run();
            best = Math.min(best, (System.nanoTime() - t) / 1e3);
        }
        return best;
    }
}
