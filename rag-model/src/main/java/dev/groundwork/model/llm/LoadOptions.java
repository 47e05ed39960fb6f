package dev.groundwork.model.llm;

/**
 * How a checkpoint is loaded.
 *
 * @param device {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} (CUDA when the engine sees a GPU)
 * @param maxContext caps the context window below the model's own (0: the model's); smaller bounds KV-cache memory
 * @param halfPrecisionDecode on CPU, also keep fp16 copies of the projection weights for one-token decode steps
 *     (MKL's fp32 matrix-vector kernel is slow on some CPUs; fp16 GEMM prefill is slower still, so prefill stays fp32)
 */
public record LoadOptions(String device, int maxContext, boolean halfPrecisionDecode) {

    public LoadOptions {
        if (device == null || !device.matches("cpu|auto|cuda(:\\d+)?")) {
            throw new IllegalArgumentException("device must be cpu, cuda, cuda:N or auto, was " + device);
        }
        if (maxContext < 0) {
            throw new IllegalArgumentException("maxContext must be >= 0, was " + maxContext);
        }
    }

    public static LoadOptions cpu() {
        return new LoadOptions("cpu", 0, false);
    }
}
