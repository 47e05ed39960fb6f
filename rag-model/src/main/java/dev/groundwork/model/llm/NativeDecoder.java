package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * One decode step (a single new token against the KV cache) of a {@link Transformer} on CPU, computed with
 * {@link NativeKernels} instead of DJL: the same equations as {@link Transformer#forward}, on Java arrays, with the
 * products, attention and SwiGLU in native code over the model's own weight and cache memory (nothing is copied).
 * Prefill stays on DJL, whose matrix-matrix products are fast; decode is one row per product, where the engine's
 * kernel and per-call cost left a third of the memory bandwidth unused (docs/benchmarks.md).
 *
 * <p>Norms, rotary embedding and residual sums are a few thousand operations per layer and stay in Java.
 * Accumulation is fp32 over fp16 or fp32 weights (the engine's fp16 path rounds activations to fp16 instead), so
 * results agree with {@link Transformer#forward} to float rounding. Not thread-safe: the scratch vectors are
 * shared, and callers serialise steps as they do forward passes.
 */
final class NativeDecoder {

    /** One decoder layer's weights; {@code qkvBias} and {@code qkNorm} are null where the family has none. */
    private record Layer(float[] inputNorm, NativeMatrix qkv, float[] qkvBias, float[] qkNorm,
            NativeMatrix o, float[] postAttentionNorm, NativeMatrix gateUp, NativeMatrix down) {
    }

    private final ModelConfig config;
    private final NativeMatrix embedding;
    private final List<Layer> layers;
    private final float[] finalNorm;
    private final NativeMatrix lmHead;
    private final double[] inverseFrequencies;
    private final NativePool pool;
    // scratch: D hidden, H query heads, K key/value heads, d head width, F MLP width
    private final float[] x;        // [D] the residual stream
    private final float[] normed;   // [D]
    private final float[] qkv;      // [(H + 2K)·d] queries, keys, values
    private final float[] attended; // [H·d]
    private final float[] out;      // [D] a block's output before the residual sum
    private final float[] gateUp;   // [2F]
    private final float[] hidden;   // [F]
    private final float[] cos;      // [d/2]
    private final float[] sin;      // [d/2]
    // [V] returned by step and overwritten by the next: a fresh 0.6 MB array per token (Qwen2.5's vocabulary) was
    // nearly all the garbage of a generation, and the young generation it filled added ~0.2 GB to peak RSS
    private final float[] logits;

    private NativeDecoder(ModelConfig config, NativeMatrix embedding, List<Layer> layers, float[] finalNorm,
            NativeMatrix lmHead, NativePool pool) {
        this.config = config;
        this.embedding = embedding;
        this.layers = layers;
        this.finalNorm = finalNorm;
        this.lmHead = lmHead;
        this.inverseFrequencies = RotaryEmbedding.inverseFrequencies(config);
        int d = config.headDim();
        this.x = new float[config.hiddenSize()];
        this.normed = new float[config.hiddenSize()];
        this.qkv = new float[(config.numHeads() + 2 * config.numKvHeads()) * d];
        this.attended = new float[config.numHeads() * d];
        this.out = new float[config.hiddenSize()];
        this.gateUp = new float[2 * config.intermediateSize()];
        this.hidden = new float[config.intermediateSize()];
        this.cos = new float[d / 2];
        this.sin = new float[d / 2];
        this.logits = new float[lmHead.rows()];
        this.pool = pool;
    }

    /**
     * A decoder over {@code weights} that runs its kernels on {@code pool} (the caller's, and closed by the caller).
     *
     * @throws UnsupportedOperationException saying why when these weights cannot be decoded natively (on a GPU or
     *     of another dtype)
     */
    static NativeDecoder create(ModelConfig config, TransformerWeights weights, NativePool pool) {
        List<Layer> layers = new ArrayList<>();
        for (TransformerWeights.Layer l : weights.layers()) {
            layers.add(new Layer(floats(l.inputNorm()), NativeMatrix.of(l.qkv()), floatsOrNull(bias(l.qkv())),
                    floatsOrNull(l.qkNorm()), NativeMatrix.of(l.o()), floats(l.postAttentionNorm()),
                    NativeMatrix.of(l.gateUp()), NativeMatrix.of(l.down())));
        }
        NativeMatrix table;
        if (weights.embedding() instanceof TokenEmbedding.Dense dense) {
            table = NativeMatrix.of(dense.table());
        } else if (weights.embedding() instanceof Int8Matrix int8) {
            table = NativeMatrix.of(int8);
        } else {
            throw new UnsupportedOperationException("the native decoder cannot read a "
                    + weights.embedding().getClass().getSimpleName());
        }
        return new NativeDecoder(config, table, List.copyOf(layers), floats(weights.finalNorm()),
                NativeMatrix.of(weights.lmHead()), pool);
    }

    /** "native kernels (avx512, 2 threads)": what decodes, for logs and benchmark output. */
    String description() {
        int threads = pool.threads();
        return "native kernels (" + pool.isa() + ", " + threads + " thread" + (threads == 1 ? "" : "s") + ")";
    }

    /**
     * Runs {@code token} at position {@code cache.length()}, appends its keys and values to the cache and returns
     * the float32 logits of the next token, {@code [V]}: this decoder's buffer, overwritten by the next step (copy
     * it to keep it).
     */
    float[] step(int token, KvCache cache) {
        final int p = cache.length();
        if (p >= cache.capacity()) {
            throw new IllegalStateException("KV cache full: " + p + " + 1 > " + cache.capacity());
        }
        final int h = config.numHeads();
        final int k = config.numKvHeads();
        final int d = config.headDim();
        final int capacity = cache.capacity();
        final float scale = (float) (1.0 / Math.sqrt(d));
        final int window = config.slidingWindow();

        embedding.row(token, x);                                                                // [D]
        angles(p);
        for (int layer = 0; layer < layers.size(); layer++) {
            Layer w = layers.get(layer);
            // attention block
            rmsNorm(x, 0, x.length, w.inputNorm(), 0, normed);                                    // [D]
            matVec(w.qkv(), normed, qkv);                                                       // [(H+2K)·d]
            add(qkv, w.qkvBias());
            for (int head = 0; head < h + k; head++) {
                if (w.qkNorm() != null) {    // Qwen3: per-head norm, q_norm on queries, k_norm on keys
                    rmsNorm(qkv, head * d, d, w.qkNorm(), head * d, qkv);
                }
                rotate(qkv, head * d, d);    // queries and keys rotate alike
            }
            // cache[layer][kv, P] = key and value head kv
            KvCache.Direct memory = cache.direct(layer);
            for (int kv = 0; kv < k; kv++) {
                memory.keys().put((kv * capacity + p) * d, qkv, (h + kv) * d, d);
                memory.values().put((kv * capacity + p) * d, qkv, (h + k + kv) * d, d);
            }
            // a sliding layer sees the last W positions [P - W + 1, P], else [0, P]
            final int from = config.sliding(layer) ? Math.max(0, p - window + 1) : 0;
            NativeKernels.attention(pool.handle(), qkv, memory.keyAddress(), memory.valueAddress(), k,
                    config.kvGroups(), d, capacity, from, p + 1, scale, attended);                // [H·d]
            matVec(w.o(), attended, out);                                                       // [D]
            add(x, out);

            // SwiGLU MLP block
            rmsNorm(x, 0, x.length, w.postAttentionNorm(), 0, normed);                          // [D]
            matVec(w.gateUp(), normed, gateUp);                                                 // [2F]
            NativeKernels.swiglu(pool.handle(), gateUp, hidden.length, hidden);                           // [F]
            matVec(w.down(), hidden, out);                                                      // [D]
            add(x, out);
        }
        rmsNorm(x, 0, x.length, finalNorm, 0, normed);
        matVec(lmHead, normed, logits);                                                         // [V]
        cache.advance(1);
        return logits;
    }

    private void matVec(NativeMatrix m, float[] in, float[] result) {
        m.multiply(pool, in, result);
    }

    /** {@code cos, sin} of position {@code p}'s angles, rounded to float from double as {@link RotaryEmbedding}. */
    private void angles(int p) {
        for (int i = 0; i < cos.length; i++) {
            double angle = p * inverseFrequencies[i];
            cos[i] = (float) Math.cos(angle);
            sin[i] = (float) Math.sin(angle);
        }
    }

    /** {@code v·cos + rotate_half(v)·sin} for the head at {@code v[at, at + d)}, {@code rotate_half([a, b]) = [-b, a]}. */
    private void rotate(float[] v, int at, int d) {
        int half = d / 2;
        for (int i = 0; i < half; i++) {
            float a = v[at + i];
            float b = v[at + half + i];
            v[at + i] = a * cos[i] - b * sin[i];
            v[at + half + i] = b * cos[i] + a * sin[i];
        }
    }

    /**
     * {@code result[at + i] = v[at + i] / sqrt(mean(v[at, at + n)²) + eps) · weight[w + i]}: Hugging Face's
     * LlamaRMSNorm; {@code result} may be {@code v}.
     */
    private void rmsNorm(float[] v, int at, int n, float[] weight, int w, float[] result) {
        double sum = 0;
        for (int i = at; i < at + n; i++) {
            sum += (double) v[i] * v[i];
        }
        float rms = (float) Math.sqrt((float) (sum / n) + config.rmsNormEps());
        for (int i = 0; i < n; i++) {
            result[at + i] = v[at + i] / rms * weight[w + i];
        }
    }

    private static void add(float[] into, float[] addend) {
        if (addend == null) {
            return;
        }
        for (int i = 0; i < addend.length; i++) {
            into[i] += addend[i];
        }
    }

    private static NDArray bias(Projection p) {
        if (p instanceof Linear l) {
            return l.bias();
        }
        return p instanceof Int8Linear q ? q.bias() : null;
    }

    private static float[] floats(NDArray vector) {
        return vector.toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static float[] floatsOrNull(NDArray vector) {
        return vector == null ? null : floats(vector);
    }
}
