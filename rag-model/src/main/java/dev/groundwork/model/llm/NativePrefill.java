package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;

/**
 * A prompt's (prefill's) heavy work on the native kernels. The products {@code x·Wᵀ + b} run straight from the
 * weights as the model holds them (fp16, fp32, or int8 with group scales: no fp32 copy of the weight is made): where
 * the processor has Intel AMX on its tile unit ({@code gemm_amx.c}), with causal attention over the KV cache on AMX
 * too ({@link #attention}); elsewhere with AVX-512 ({@link LoadOptions.Prefill#NATIVE}) in fp32 on its FMA units
 * ({@code gemm_fma.c}), attention too ({@code attention_fma.c}); on a processor with neither, the products stay on
 * the engine and attention runs query by query. Everywhere: SwiGLU ({@link #swiglu}), RMSNorm of rows and of heads
 * ({@link #rmsNorm}, {@link #rmsNormHeads}) and the rotary embedding ({@link #rotate}). Why: libtorch's fp32 products need an fp32 copy
 * of each compact weight, run MKL's generic AVX2 path on AMD processors, and reach about 290 GFLOP/s on two Intel
 * Xeon cores where AMX multiplies bfloat16 several times faster (DJL cannot hold bfloat16 arrays); the engine's
 * attention materialises every score and made long prompts slower than their products, and its row-wise steps are
 * several allocating passes each (docs/benchmarks.md).
 *
 * <p>{@link LoadOptions.Prefill#AMX} splits each operand into two bfloat16 parts (three tile products): about 16
 * significant bits, as exact as fp16 weights. {@link LoadOptions.Prefill#AMX_BF16} rounds each operand once.
 * {@link LoadOptions.Prefill#NATIVE} rounds as fp32 does. Results differ from the engine's fp32 products by that
 * rounding only. Runs on the model's {@link NativePool}; not thread-safe (the pool's scratch is shared), callers
 * serialise forward passes.
 */
final class NativePrefill {

    /** Who multiplies a prompt's projections. */
    private enum Products {
        /** The AMX tile unit, in {@link #passes} bf16 products. */
        AMX,
        /** AVX-512 FMA in fp32. */
        FMA,
        /** The engine (no AVX-512): {@link #multiply} is not used. */
        ENGINE
    }

    private final NativePool pool;
    private final Products products;
    /** AMX: 1 (bf16 operands) or 3 (split operands); else 0. */
    private final int passes;
    private final String description;

    private NativePrefill(NativePool pool, Products products, int passes, String description) {
        this.pool = pool;
        this.products = products;
        this.passes = passes;
        this.description = description;
    }

    /**
     * The prefill for {@code choice}: {@link LoadOptions.Prefill#AMX} or {@link LoadOptions.Prefill#AMX_BF16}, or
     * {@link LoadOptions.Prefill#NATIVE} (products in fp32 on AVX-512 FMA where the pool may use AVX-512, else on the
     * engine: {@link #multipliesProducts()} is then false; attention in fp32).
     *
     * @throws UnsupportedOperationException saying why when AMX is asked for and cannot run here
     */
    static NativePrefill create(NativePool pool, LoadOptions.Prefill choice) {
        if (choice == LoadOptions.Prefill.NATIVE) {
            return pool.isa().equals("avx512")
                    ? new NativePrefill(pool, Products.FMA, 0, "native kernels, fp32 FMA products (avx512)")
                    : new NativePrefill(pool, Products.ENGINE, 0,
                            "DJL engine products, native kernels (" + pool.isa() + ")");
        }
        if (!NativeKernels.amxAvailable()) {
            throw new UnsupportedOperationException("this processor or kernel offers no AMX-BF16 tile unit");
        }
        if (!pool.isa().equals("avx512")) {
            throw new UnsupportedOperationException("the AMX kernels need AVX-512, and the kernels use " + pool.isa());
        }
        return switch (choice) {
            case AMX -> new NativePrefill(pool, Products.AMX, 3, "AMX, bf16 x3 (~fp16-exact)");
            case AMX_BF16 -> new NativePrefill(pool, Products.AMX, 1, "AMX, bf16");
            default -> throw new IllegalArgumentException("not a native prefill: " + choice);
        };
    }

    /** Whether {@link #multiply} runs here (AMX or AVX-512); else projections stay on the engine's products. */
    boolean multipliesProducts() {
        return products != Products.ENGINE;
    }

    /** What multiplies prompts, for logs: "AMX, bf16 x3 (~fp16-exact)". */
    String description() {
        return description;
    }

    /**
     * @param x {@code [T, in]} fp32 on CPU
     * @param weight {@code [out, in]}
     * @param bias {@code [out]} fp32 or null
     * @return {@code [T, out]} fp32, in the caller's NDScope
     */
    NDArray multiply(NDArray x, NativeMatrix weight, NDArray bias) {
        Shape shape = x.getShape();
        int rows = Math.toIntExact(shape.get(0));
        if (shape.dimension() != 2 || shape.get(1) != weight.cols()) {
            throw new IllegalArgumentException("x " + shape + " does not match a weight of " + weight.cols()
                    + " columns");
        }
        NDArray y = x.getManager().create(new Shape(rows, weight.rows()), DataType.FLOAT32);
        // a non-contiguous x comes back as a copy: the buffers must outlive the call
        ByteBuffer in = NativeKernels.memoryOf(x, DataType.FLOAT32);
        ByteBuffer out = NativeKernels.memoryOf(y, DataType.FLOAT32);
        ByteBuffer b = bias == null ? null : NativeKernels.memoryOf(bias, DataType.FLOAT32);
        long biasAddress = b == null ? 0 : NativeKernels.address(b);
        int result = products == Products.AMX
                ? NativeKernels.gemmAmx(pool.handle(), weight.dtype(), weight.address(), weight.scales(),
                        weight.group(), weight.rows(), weight.cols(), NativeKernels.address(in), rows, biasAddress,
                        NativeKernels.address(out), passes)
                : NativeKernels.gemmFma(pool.handle(), weight.dtype(), weight.address(), weight.scales(),
                        weight.group(), weight.rows(), weight.cols(), NativeKernels.address(in), rows, biasAddress,
                        NativeKernels.address(out));
        Reference.reachabilityFence(in);
        Reference.reachabilityFence(out);
        Reference.reachabilityFence(b);
        if (result == NativeKernels.GEMM_NO_MEMORY) {
            throw new OutOfMemoryError("no memory for the " + products + " product's scratch (" + rows + " rows)");
        }
        if (result != NativeKernels.GEMM_OK) {
            throw new IllegalStateException(products + " product refused: weight " + weight + ", result " + result);
        }
        return y;
    }

    /**
     * Causal attention of {@code T} query tokens at positions {@code P, P + 1, ...} whose keys and values are
     * already in {@code cache}: each row sees positions up to its own, or its last {@code window} of them. With AMX
     * both of its products run on the tile unit, blocks of 32 queries at a time, rounded as this prefill's products
     * are ({@code attention_amx.c}); elsewhere with AVX-512, or for a head width AMX does not take (not a multiple
     * of 32), in fp32 on its FMA units, blocks of 14 query vectors sharing each read of a key or value
     * ({@code attention_fma.c}); else one query at a time on the vector unit, in fp32.
     *
     * @param queries {@code [T, ≥H, d]} fp32, contiguous: the first H heads of each row are the queries (the rest,
     *     the keys of a stacked q/k array, are skipped)
     * @param rowStride floats from one query row to the next
     * @param window {@code > 0} for a sliding layer, else 0
     * @return {@code [T, H·d]} fp32, in the caller's NDScope
     */
    NDArray attention(NDArray queries, int rowStride, KvCache cache, int layer, int position, int window,
            ModelConfig config, float scale) {
        int rows = Math.toIntExact(queries.getShape().get(0));
        int heads = config.numHeads();
        int d = config.headDim();
        NDArray out = queries.getManager().create(new Shape(rows, (long) heads * d), DataType.FLOAT32);
        ByteBuffer q = NativeKernels.memoryOf(queries, DataType.FLOAT32);
        ByteBuffer result = NativeKernels.memoryOf(out, DataType.FLOAT32);
        KvCache.Direct memory = cache.direct(layer);
        int done = products != Products.AMX ? NativeKernels.GEMM_UNAVAILABLE
                : NativeKernels.attentionRowsAmx(pool.handle(), NativeKernels.address(q), rowStride,
                        memory.keyAddress(), memory.valueAddress(), config.numKvHeads(), config.kvGroups(), d,
                        cache.capacity(), rows, position, window, scale, NativeKernels.address(result), passes);
        if (done == NativeKernels.GEMM_UNAVAILABLE) { // no AMX, or a head width it does not take
            done = NativeKernels.attentionRowsFma(pool.handle(), NativeKernels.address(q), rowStride,
                    memory.keyAddress(), memory.valueAddress(), config.numKvHeads(), config.kvGroups(), d,
                    cache.capacity(), rows, position, window, scale, NativeKernels.address(result));
        }
        if (done != NativeKernels.GEMM_OK) { // no kernel for it here, or no memory for its packed keys: the
            // query-by-query kernel needs neither
            NativeKernels.attentionRows(pool.handle(), NativeKernels.address(q), rowStride, memory.keyAddress(),
                    memory.valueAddress(), config.numKvHeads(), config.kvGroups(), d, cache.capacity(), rows,
                    position, window, scale, NativeKernels.address(result));
        }
        Reference.reachabilityFence(q);
        Reference.reachabilityFence(result);
        return out;
    }

    /**
     * Hugging Face's LlamaRMSNorm of each row, natively.
     *
     * @param x {@code [T, n]} fp32
     * @param weight {@code [n]} fp32
     * @return {@code [T, n]} fp32, in the caller's NDScope
     */
    NDArray rmsNorm(NDArray x, NDArray weight, float eps) {
        Shape shape = x.getShape();
        return rmsNormHeads(x.reshape(shape.get(0), 1, shape.get(1)), 1, weight, eps).reshape(shape);
    }

    /**
     * Qwen3's q/k norm, natively: LlamaRMSNorm of each of the first {@code heads} heads of each row, each head with
     * its own weight.
     *
     * @param rows {@code [T, ≥heads, d]} fp32, contiguous (the heads past {@code heads}, the values of a stacked
     *     q/k/v array, are skipped)
     * @param weight {@code [heads, d]} fp32
     * @return {@code [T, heads, d]} fp32, in the caller's NDScope
     */
    NDArray rmsNormHeads(NDArray rows, int heads, NDArray weight, float eps) {
        Shape shape = rows.getShape();
        int t = Math.toIntExact(shape.get(0));
        int d = Math.toIntExact(shape.get(2));
        NDArray out = rows.getManager().create(new Shape(t, heads, d), DataType.FLOAT32);
        ByteBuffer in = NativeKernels.memoryOf(rows, DataType.FLOAT32);
        ByteBuffer w = NativeKernels.memoryOf(weight, DataType.FLOAT32);
        ByteBuffer result = NativeKernels.memoryOf(out, DataType.FLOAT32);
        NativeKernels.rmsNormRows(pool.handle(), NativeKernels.address(in), Math.toIntExact(shape.get(1)) * d, t,
                heads, d, NativeKernels.address(w), eps, NativeKernels.address(result));
        Reference.reachabilityFence(in);
        Reference.reachabilityFence(w);
        Reference.reachabilityFence(result);
        return out;
    }

    /**
     * The rotary embedding of the first {@code heads} heads of each row, natively.
     *
     * @param rows {@code [T, ≥heads, d]} fp32, contiguous (the heads past {@code heads}, such as the values of a
     *     stacked q/k/v array, are skipped)
     * @param angles the T positions' angles ({@link RotaryEmbedding#angles})
     * @return {@code [T, heads, d]} fp32, in the caller's NDScope
     */
    NDArray rotate(NDArray rows, int heads, RotaryEmbedding.Angles angles) {
        Shape shape = rows.getShape();
        int t = Math.toIntExact(shape.get(0));
        int d = Math.toIntExact(shape.get(2));
        NDArray out = rows.getManager().create(new Shape(t, heads, d), DataType.FLOAT32);
        ByteBuffer in = NativeKernels.memoryOf(rows, DataType.FLOAT32);
        ByteBuffer result = NativeKernels.memoryOf(out, DataType.FLOAT32);
        NativeKernels.ropeRows(pool.handle(), NativeKernels.address(in), Math.toIntExact(shape.get(1)) * d, t, heads,
                d, angles.cos(), angles.sin(), NativeKernels.address(result));
        Reference.reachabilityFence(in);
        Reference.reachabilityFence(result);
        return out;
    }

    /**
     * {@code silu(gate)·up} of a stacked gate/up product, natively, in one pass: the engine's three calls over the
     * two strided halves took 137-169 ms of a 512-token prefill against 122 here (docs/benchmarks.md).
     *
     * @param gateUp {@code [T, 2F]} fp32, each row's gate then its up
     * @return {@code [T, F]} fp32, in the caller's NDScope
     */
    NDArray swiglu(NDArray gateUp) {
        Shape shape = gateUp.getShape();
        int rows = Math.toIntExact(shape.get(0));
        int f = Math.toIntExact(shape.get(1) / 2);
        NDArray out = gateUp.getManager().create(new Shape(rows, f), DataType.FLOAT32);
        ByteBuffer in = NativeKernels.memoryOf(gateUp, DataType.FLOAT32);
        ByteBuffer result = NativeKernels.memoryOf(out, DataType.FLOAT32);
        NativeKernels.swigluRows(pool.handle(), NativeKernels.address(in), rows, f, NativeKernels.address(result));
        Reference.reachabilityFence(in);
        Reference.reachabilityFence(result);
        return out;
    }
}
