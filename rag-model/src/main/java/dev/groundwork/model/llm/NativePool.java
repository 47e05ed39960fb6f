package dev.groundwork.model.llm;

/**
 * The native kernels' thread pool ({@code pool.c}): the calling thread plus {@code threads - 1} workers that spin
 * briefly between tasks, then sleep. One pool serves a model's decode steps ({@link NativeDecoder}) and prompt
 * products ({@link NativePrefill}), which never run at once (the model serialises its forward passes).
 * {@link #close()} stops the workers.
 */
final class NativePool implements AutoCloseable {

    private final long handle;
    private final int threads;

    /**
     * @param maxIsa the widest instruction set its kernels may use ({@link NativeKernels#AVX512} for the best the
     *     processor has; tests lower it to run each path)
     * @throws UnsupportedOperationException saying why when the kernels are not loaded here
     */
    NativePool(int threads, int maxIsa) {
        NativeKernels.unavailable().ifPresent(reason -> {
            throw new UnsupportedOperationException(reason);
        });
        this.handle = NativeKernels.poolCreate(threads, maxIsa);
        if (handle == 0) {
            throw new OutOfMemoryError("cannot create the native kernels' thread pool");
        }
        this.threads = NativeKernels.poolThreads(handle);
    }

    long handle() {
        return handle;
    }

    /** Threads it really has (fewer than asked when the system refused one). */
    int threads() {
        return threads;
    }

    /** {@code avx512}, {@code avx2} or {@code scalar}: the instruction set its kernels use. */
    String isa() {
        return NativeKernels.isaName(NativeKernels.poolIsa(handle));
    }

    @Override
    public void close() {
        NativeKernels.poolDestroy(handle);
    }
}
