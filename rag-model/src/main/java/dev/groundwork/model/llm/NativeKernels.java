package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * JNI bindings of Groundwork's CPU kernels ({@code src/main/native}: decode's matrix-vector products over
 * fp16/fp32/int8 weights, attention over the KV cache, SwiGLU, huge-page weight memory; prefill's matrix products on
 * Intel AMX). They exist because DJL's engine cannot
 * reach the memory bandwidth in a one-token decode step: libtorch 2.7.1's fp16 matrix-vector kernel streams below
 * the machine's bandwidth and each engine call costs microseconds (docs/benchmarks.md).
 *
 * <p>The library is a class-path resource built by the Maven build where gcc exists, for Linux x86-64 only; it is
 * copied to a temporary file and loaded once per class loader. Where it is missing {@link #unavailable()} says why
 * and callers use DJL instead. The kernels check nothing: addresses, sizes and array lengths are the caller's
 * contract (a wrong one crashes the JVM), which is why only a few classes call them: {@link NativeDecoder},
 * {@link NativePrefill}, {@link NativeMatrix}, {@link NativePool}, {@link KvCache}, {@link WeightArena} (and
 * {@link KernelBench}).
 */
final class NativeKernels {

    /** Matrix element types, as {@code enum gw_dtype} in kernels.h. */
    static final int F32 = 0;
    static final int F16 = 1;
    /** int8 with fp32 scales per group of columns ({@link Int8Matrix}); only through {@link #matVecQ8}. */
    static final int Q8 = 2;

    /** Instruction sets, as {@code enum gw_isa}: a pool uses the widest the processor has up to the one asked. */
    static final int SCALAR = 0;
    static final int AVX2 = 1;
    static final int AVX512 = 2;

    private static final String RESOURCE = "/native/linux-x86_64/libgroundwork-kernels.so";

    private NativeKernels() {
    }

    /** Why the kernels cannot be used here, or empty when they are loaded. */
    static Optional<String> unavailable() {
        return Optional.ofNullable(Library.FAILURE);
    }

    /** The lazy holder idiom: the library is loaded on first use, once, and the outcome never changes. */
    private static final class Library {
        static final String FAILURE = load();

        private static String load() {
            String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
            if (!platform.equals("Linux/amd64")) {
                return "the native decode kernels are built for Linux/amd64 only, this is " + platform;
            }
            try (InputStream in = NativeKernels.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    return "class-path resource " + RESOURCE + " is missing (rag-model was built without gcc)";
                }
                Path file = Files.createTempFile("groundwork-kernels", ".so");
                file.toFile().deleteOnExit();
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toString());
                return null;
            } catch (IOException | UnsatisfiedLinkError e) {
                return "cannot load " + RESOURCE + ": " + e;
            }
        }
    }

    /** {@code avx512}, {@code avx2} or {@code scalar}. */
    static native String isaName(int isa);

    /**
     * A pool of {@code threads} participants (the caller and {@code threads - 1} workers) whose kernels use at
     * most instruction set {@code maxIsa}; 0 if none could be made.
     */
    static native long poolCreate(int threads, int maxIsa);

    /** The instruction set the pool's kernels use. */
    static native int poolIsa(long pool);

    /** Threads the pool really has (fewer than asked when the system refused one). */
    static native int poolThreads(long pool);

    static native void poolDestroy(long pool);

    /** {@code bytes} of zeroed memory advised for huge pages, or null; free with {@link #release}. */
    static native ByteBuffer allocate(long bytes);

    static native void release(ByteBuffer buffer);

    /** Address of a direct buffer's first byte. */
    static native long address(ByteBuffer buffer);

    /**
     * The memory of a contiguous CPU array of {@code type}, in native byte order: writes through it reach the array.
     * (For a non-contiguous array DJL would return a copy; every array passed here is contiguous, made whole by the
     * loader or by {@code zeros}.)
     *
     * @throws UnsupportedOperationException naming the array's dtype and device when it is not such an array
     */
    static ByteBuffer memoryOf(NDArray array, DataType type) {
        if (array.getDevice().isGpu() || array.getDataType() != type) {
            throw new UnsupportedOperationException("the native kernels read " + type + " CPU arrays, this is "
                    + array.getDataType() + " on " + array.getDevice());
        }
        ByteBuffer memory = array.toByteBuffer(true);
        if (!memory.isDirect() || memory.capacity() != array.size() * type.getNumOfBytes()) {
            throw new UnsupportedOperationException("the engine did not expose an array's memory directly");
        }
        return memory.order(ByteOrder.nativeOrder());
    }

    /** {@code y[r] = Σ_c w[r, c]·x[c]} for {@code r < rows}; {@code w} row-major {@code [rows, cols]}. */
    static native void matVec(long pool, int dtype, long w, int rows, int cols, float[] x, float[] y);

    /**
     * {@code y[r] = Σ_g scales[r, g]·Σ_{c ∈ g} q[r, c]·x[c]}: int8 {@code q [rows, cols]}, fp32
     * {@code scales [rows, cols / group]}.
     */
    static native void matVecQ8(long pool, long q, long scales, int group, int rows, int cols, float[] x,
            float[] y);

    /** Row {@code row} of an int8 matrix, dequantized. */
    static native void rowQ8(long q, long scales, int group, long row, int cols, float[] out);

    /**
     * One query token (heads {@code [kvHeads·groups, headDim]} at the start of {@code q}) against cache positions
     * {@code [from, to)} of a layer stored {@code [kvHeads, capacity, headDim]}; writes {@code out} as {@code q}.
     */
    static native void attention(long pool, float[] q, long keys, long values, int kvHeads, int groups,
            int headDim, int capacity, int from, int to, float scale, float[] out);

    /**
     * {@link #attention} for {@code rows} query tokens at positions {@code position, position + 1, ...}: row r sees
     * {@code [0, position + r]}, or its last {@code window} positions when {@code window > 0}; its heads start at
     * {@code q + r·qStride} floats; {@code out} {@code [rows, kvHeads·groups·headDim]}. Addresses of fp32 memory.
     */
    static native void attentionRows(long pool, long q, int qStride, long keys, long values, int kvHeads,
            int groups, int headDim, int capacity, int rows, int position, int window, float scale, long out);

    /**
     * {@link #attentionRows} on the AMX tile unit, operands rounded as {@link #gemmAmx}'s {@code passes} say; returns
     * {@link #GEMM_UNAVAILABLE} (out untouched) without AMX or unless {@code headDim} is a multiple of 32 up to 256,
     * {@link #GEMM_NO_MEMORY} without memory for its scratch, else {@link #GEMM_OK}.
     */
    static native int attentionRowsAmx(long pool, long q, int qStride, long keys, long values, int kvHeads,
            int groups, int headDim, int capacity, int rows, int position, int window, float scale, long out,
            int passes);

    /** {@code out[i] = silu(gateUp[i])·gateUp[f + i]} for {@code i < f}. */
    static native void swiglu(long pool, float[] gateUp, int f, float[] out);

    /**
     * {@code out[r, i] = silu(gateUp[r, i])·gateUp[r, f + i]} for {@code r < rows, i < f}: {@code gateUp}
     * {@code [rows, 2f]} and {@code out} {@code [rows, f]} fp32 at those addresses.
     */
    static native void swigluRows(long pool, long gateUp, int rows, int f, long out);

    /**
     * Hugging Face's LlamaRMSNorm of {@code heads} vectors of {@code d} floats in each of {@code rows} rows
     * {@code xStride} floats apart: {@code out[r, j] = x[r, j] / sqrt(mean(x[r, j]²) + eps)·weight[j]} with
     * {@code weight [heads, d]} and {@code out [rows, heads, d]} (addresses of fp32 memory; {@code out} may be
     * {@code x} when {@code xStride = heads·d}). One norm per row: {@code heads = 1}, {@code xStride = d}.
     */
    static native void rmsNormRows(long pool, long x, int xStride, int rows, int heads, int d, long weight, float eps,
            long out);

    /**
     * The rotary embedding of {@code heads} heads of width {@code d} in each of {@code rows} rows starting
     * {@code inStride} floats apart, into {@code out [rows, heads, d]}; {@code cos}, {@code sin}
     * {@code [rows, d / 2]}.
     */
    static native void ropeRows(long pool, long in, int inStride, int rows, int heads, int d, float[] cos, float[] sin,
            long out);

    /** Row {@code row} of a {@code [rows, cols]} matrix, as fp32. */
    static native void row(int dtype, long w, long row, int cols, float[] out);

    /** {@link #gemmAmx} results, as {@code enum gw_gemm_result}. */
    static final int GEMM_OK = 0;
    static final int GEMM_UNAVAILABLE = 1;
    static final int GEMM_NO_MEMORY = 2;

    /** Whether the processor and the operating system let {@link #gemmAmx} run (AMX-BF16, AVX512-BF16). */
    static native boolean amxAvailable();

    /**
     * {@code y[r, c] = Σ_j x[r, j]·w[c, j] + bias[c]} for {@code r < t, c < n} on the AMX tile unit: {@code x} fp32
     * {@code [t, k]}, {@code w} {@code [n, k]} of {@code dtype} ({@link #Q8} with {@code scales}, {@code group} a
     * multiple of 16), {@code bias} fp32 {@code [n]} or 0, {@code y} fp32 {@code [t, n]}; {@code passes} 1 (bf16
     * operands) or 3 (bf16 with their residues, as accurate as fp16 weights). Returns {@link #GEMM_OK},
     * {@link #GEMM_UNAVAILABLE} or {@link #GEMM_NO_MEMORY}.
     */
    static native int gemmAmx(long pool, int dtype, long w, long scales, int group, int n, int k, long x, int t,
            long bias, long y, int passes);

    /**
     * {@link #gemmAmx}'s product in fp32 on AVX-512 FMA ({@code gemm_fma.c}): fp16 and fp32 weights exact in fp32
     * (int8 times its scale rounded once), each output one fp32 sum. Returns {@link #GEMM_UNAVAILABLE} where the pool may not use AVX-512 (or a {@link #Q8} group is
     * not a multiple of 16), else as {@link #gemmAmx}.
     */
    static native int gemmFma(long pool, int dtype, long w, long scales, int group, int n, int k, long x, int t,
            long bias, long y);

    /**
     * {@link #attentionRows} in fp32 on AVX-512 FMA, blocks of query vectors at a time ({@code attention_fma.c});
     * returns {@link #GEMM_UNAVAILABLE} (out untouched) where the pool may not use AVX-512 or unless {@code headDim}
     * is a multiple of 16 up to 256, {@link #GEMM_NO_MEMORY} when its scratch cannot be had, else {@link #GEMM_OK}.
     */
    static native int attentionRowsFma(long pool, long q, int qStride, long keys, long values, int kvHeads,
            int groups, int headDim, int capacity, int rows, int position, int window, float scale, long out);
}
