package dev.groundwork.model.llm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A benchmark command, not used by the runtime: a prompt's products {@code X·Wᵀ} for fp16 weights of the
 * Qwen2.5-0.5B layer shapes, every way Groundwork can run them, side by side in one run: libtorch's {@code linear}
 * on an fp32 copy of the weight (the copy timed too, as the engine prefill makes it per product), the native fp32
 * product on AVX-512 FMA ({@code gemm_fma.c}), and where the processor has AMX the split-bf16 tile product
 * ({@code gemm_amx.c}). Prints the best of 6 runs in GFLOP/s. It lives here because the kernels are package-private.
 *
 * <p>Usage: {@code java -cp rag-model.jar dev.groundwork.model.llm.PromptProductBench [rows...]} (default 256 512);
 * torch threads follow {@code -Dai.djl.pytorch.num_threads}, the kernels' pool uses as many.
 */
public final class PromptProductBench {

    private static final int RUNS = 6;

    private PromptProductBench() {
    }

    /** A timed product: returns nothing, leaves its result where the bench reads nothing. */
    private interface Product {
        void run();
    }

    public static void main(String[] args) {
        NativeKernels.unavailable().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        int[] rowCounts = args.length == 0 ? new int[] {256, 512}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
        long[][] shapes = {{1152, 896}, {896, 896}, {9728, 896}, {896, 4864}};
        boolean amx = NativeKernels.amxAvailable();
        try (NativePool pool = new NativePool(threads, NativeKernels.AVX512);
                NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            System.out.printf("native kernels: %s, %d threads; AMX %s%n", pool.isa(), pool.threads(),
                    amx ? "present" : "absent");
            System.out.println("rows x [out, in]^T | libtorch linear, fp32 weight | + fp16->fp32 copy | native FMA fp32"
                    + (amx ? " | AMX bf16 x3" : "") + "   (GFLOP/s)");
            for (int rows : rowCounts) {
                for (long[] shape : shapes) {
                    try (NDManager sub = manager.newSubManager()) {
                        int n = Math.toIntExact(shape[0]);
                        int k = Math.toIntExact(shape[1]);
                        NDArray x = sub.randomNormal(new Shape(rows, k));
                        NDArray half = sub.randomNormal(new Shape(n, k)).mul(0.02f).toType(DataType.FLOAT16, false);
                        NDArray single = half.toType(DataType.FLOAT32, false);
                        NDArray y = sub.zeros(new Shape(rows, n));
                        ByteBuffer w = NativeKernels.memoryOf(half, DataType.FLOAT16);
                        ByteBuffer in = NativeKernels.memoryOf(x, DataType.FLOAT32);
                        ByteBuffer out = NativeKernels.memoryOf(y, DataType.FLOAT32);
                        long wAt = NativeKernels.address(w);
                        long xAt = NativeKernels.address(in);
                        long yAt = NativeKernels.address(out);
                        double flops = 2.0 * rows * n * k;
                        double linear = flops / best(() -> x.getNDArrayInternal().linear(x, single, null)
                                .singletonOrThrow().close());
                        double copied = flops / best(() -> {
                            single.set(new NDIndex(":"), half);
                            x.getNDArrayInternal().linear(x, single, null).singletonOrThrow().close();
                        });
                        // without AVX-512 the native product refuses (the engine's products run instead)
                        String fma = !pool.isa().equals("avx512") ? "   n/a" : String.format("%6.1f", flops / best(
                                () -> check(NativeKernels.gemmFma(pool.handle(), NativeKernels.F16, wAt, 0, 0, n, k,
                                        xAt, rows, 0, yAt))) / 1e9);
                        String line = String.format("%4d x [%d, %d]^T | %6.1f | %6.1f | %s", rows, n, k,
                                linear / 1e9, copied / 1e9, fma);
                        if (amx) {
                            double tiles = flops / best(() -> check(NativeKernels.gemmAmx(pool.handle(),
                                    NativeKernels.F16, wAt, 0, 0, n, k, xAt, rows, 0, yAt, 3)));
                            line += String.format(" | %6.1f", tiles / 1e9);
                        }
                        System.out.println(line);
                        Reference.reachabilityFence(w);
                        Reference.reachabilityFence(in);
                        Reference.reachabilityFence(out);
                    }
                }
            }
        }
    }

    private static void check(int result) {
        if (result != NativeKernels.GEMM_OK) {
            throw new IllegalStateException("native product refused: " + result);
        }
    }

    /** Best of {@link #RUNS} runs, in seconds. */
    private static double best(Product product) {
        double best = Double.MAX_VALUE;
        for (int run = 0; run < RUNS; run++) {
            long start = System.nanoTime();
            product.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }
}
