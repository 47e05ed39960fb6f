package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * The forward pass of a Llama-family decoder (Llama, Mistral, Qwen2, Qwen3) on DJL NDArrays, in one method.
 *
 * <p>Shapes: T new tokens, P positions already cached, S = P + T, D hidden, H query heads, K key/value heads,
 * G = H / K, d head width, F MLP width, V vocabulary, W sliding window. Every intermediate array is created in the
 * caller's NDScope; only the KV cache is written in place. Not thread-safe (the scratch arrays are shared): callers
 * serialise forward passes.
 *
 * <p>Sliding layers ({@link ModelConfig#sliding(int)}) attend from a view of the cache that starts at the first
 * position any of the T queries may see, {@code max(0, P - W + 1)}, so a decode step reads the last W positions
 * and needs no mask; a prefill of several tokens also masks keys older than W per query.
 */
final class Transformer {

    private final ModelConfig config;
    private final TransformerWeights weights;
    private final RotaryEmbedding rope;
    private final NDManager manager;
    private final DataType dataType;
    private final UpcastScratch scratch;

    /** @param amx the products of multi-row inputs (prefill) on CPU, or null to use the engine's */
    Transformer(ModelConfig config, TransformerWeights weights, NDManager manager, DataType dataType, NativePrefill amx) {
        this.config = config;
        this.weights = weights;
        this.rope = new RotaryEmbedding(config);
        this.manager = manager;
        this.dataType = dataType;
        this.scratch = new UpcastScratch(manager, amx);
    }

    ModelConfig config() {
        return config;
    }

    DataType dataType() {
        return dataType;
    }

    TransformerWeights weights() {
        return weights;
    }

    /**
     * Runs {@code tokens} at positions {@code [cache.length(), cache.length() + T)}, appends their keys and values
     * to the cache, and returns float32 logits: {@code [T, V]} if {@code allPositions}, else {@code [1, V]} for the
     * last token only (prefill then skips the vocabulary projection of every other position).
     */
    NDArray forward(int[] tokens, KvCache cache, boolean allPositions) {
        final int t = tokens.length;
        final int p = cache.length();
        final int s = p + t;
        final int h = config.numHeads();
        final int k = config.numKvHeads();
        final int d = config.headDim();
        final int f = config.intermediateSize();
        final float scale = (float) (1.0 / Math.sqrt(d));

        long[] ids = new long[t];
        for (int i = 0; i < t; i++) {
            ids[i] = tokens[i];
        }
        NDArray x = weights.embedding().lookup(manager.create(ids), dataType);           // [T, D]
        // a prompt's row-wise steps and attention on the native kernels where the model has them, else the engine
        final NativePrefill kernels = t > 1 ? scratch.nativePrefill() : null;
        RotaryEmbedding.Angles angles = rope.angles(p, t);                                // 2 × [T, d/2]
        NDArray[] cosSin = kernels == null ? rope.cosSin(manager, angles, dataType) : null; // 2 × [T, 1, d]
        // keys before windowStart are outside every new query's window (W = 0: no layer slides)
        final int window = config.slidingWindow();
        final int windowStart = window == 0 ? 0 : Math.max(0, p - window + 1);
        // the native kernels attend query by query (no masks); the engine's score matrices need them
        boolean masked = t > 1 && kernels == null;
        boolean anyFull = config.slidingLayers().contains(false);
        NDArray fullMask = masked && anyFull ? causalMask(p, t, 0, Integer.MAX_VALUE) : null;  // [T, S]
        NDArray slidingMask = masked && window > 0
                ? causalMask(p, t, windowStart, window) : null;                          // [T, S - windowStart]

        for (int layer = 0; layer < weights.layers().size(); layer++) {
            TransformerWeights.Layer w = weights.layers().get(layer);
            // a layer's intermediates are freed when it ends, not with the step: a long prefill would otherwise
            // hold every layer's activations at once
            try (NDScope layerScope = new NDScope()) {
                // attention block
                NDArray in = rmsNorm(x, w.inputNorm());                                    // [T, D]
                NDArray qkv = w.qkv().apply(in, scratch).reshape(t, h + 2 * k, d);        // [T, H+2K, d]
                NDArray qk = qkv.get(new NDIndex(":, :{}", h + k));                        // [T, H+K, d]
                NDArray value = qkv.get(new NDIndex(":, {}:", h + k));                     // [T, K, d]
                if (config.qkNorm()) {                       // Qwen3: per-head norm, q_norm on queries, k_norm on keys
                    qk = kernels == null ? rmsNorm(qk, w.qkNorm())
                            : kernels.rmsNormHeads(qkv, h + k, w.qkNorm(), (float) config.rmsNormEps());
                }
                qk = kernels == null ? rotate(qk, cosSin)    // queries and keys rotate alike
                        : kernels.rotate(config.qkNorm() ? qk : qkv, h + k, angles);
                NDArray q = qk.get(new NDIndex(":, :{}", h));                              // [T, H, d]
                NDArray key = qk.get(new NDIndex(":, {}:", h));                            // [T, K, d]
                // cache[layer][:, P:S] = [K, T, d]
                cache.write(layer, key.transpose(1, 0, 2), value.transpose(1, 0, 2));
                NDArray merged = kernels != null                                           // [T, H·d]
                        ? kernels.attention(qk, (h + k) * d, cache, layer, p, config.sliding(layer) ? window : 0,
                                config, scale)
                        : attention(q, layer, s, config.sliding(layer) ? windowStart : 0,
                                config.sliding(layer) ? slidingMask : fullMask, cache, scale);
                x = x.add(w.o().apply(merged, scratch));                                   // [T, D]

                // SwiGLU MLP block
                NDArray post = rmsNorm(x, w.postAttentionNorm());                          // [T, D]
                NDArray gateUp = w.gateUp().apply(post, scratch);                          // [T, 2F]
                NDArray hiddenMlp = swiglu(gateUp, f);                                     // [T, F]
                x = x.add(w.down().apply(hiddenMlp, scratch));                             // [T, D]
                NDScope.unregister(x);
            }
            NDScope.register(x);
        }
        if (!allPositions && t > 1) {
            x = x.get(new NDIndex("{}:", t - 1));                                        // [1, D]
        }
        NDArray logits = weights.lmHead().apply(rmsNorm(x, weights.finalNorm()), scratch); // [T or 1, V]
        cache.advance(t);
        return logits.toType(DataType.FLOAT32, false);
    }

    /**
     * Queries {@code q [T, H, d]} against cache positions {@code [from, S)} of {@code layer} on the engine: the
     * scores of every query and key at once, {@code mask [T, S - from]} (or null for one query) hiding the future
     * and what lies beyond a sliding window. Returns {@code [T, H·d]}.
     */
    private NDArray attention(NDArray q, int layer, int s, int from, NDArray mask, KvCache cache, float scale) {
        final int t = Math.toIntExact(q.getShape().get(0));
        final int h = config.numHeads();
        final int k = config.numKvHeads();
        final int g = config.kvGroups();
        final int d = config.headDim();
        final int l = s - from;
        NDArray keys = cache.keys(layer, from, s);                                         // [K, L, d]
        NDArray values = cache.values(layer, from, s);                                     // [K, L, d]
        // query heads h·G .. h·G+G-1 share key/value head h: group them along the row axis
        NDArray qg = q.transpose(1, 0, 2).reshape(k, g * t, d);                            // [K, G·T, d]
        NDArray scores = qg.matMul(keys.transpose(0, 2, 1)).mul(scale);                    // [K, G·T, L]
        if (mask != null) {
            scores = scores.reshape(k, g, t, l).add(mask).reshape(k, g * t, l);
        }
        NDArray attended = scores.softmax(-1).matMul(values);                              // [K, G·T, d]
        return attended.reshape(h, t, d).transpose(1, 0, 2).reshape(t, h * d);             // [T, H·d]
    }

    /**
     * {@code silu(gate)·up} of the stacked {@code [T, 2F]} product: gate is {@code [:, :F]}, up {@code [:, F:]}. On
     * the native kernels when the products are on AMX (one pass instead of three engine calls over strided views),
     * else on the engine.
     */
    private NDArray swiglu(NDArray gateUp, int f) {
        if (scratch.nativePrefill() != null && gateUp.getShape().get(0) > 1) {
            return scratch.nativePrefill().swiglu(gateUp);
        }
        NDArray gate = gateUp.get(new NDIndex(":, :{}", f));                                // [T, F]
        NDArray up = gateUp.get(new NDIndex(":, {}:", f));                                  // [T, F]
        return gate.mul(Activation.sigmoid(gate)).mul(up);
    }

    /**
     * {@code x / sqrt(mean(x², last axis) + eps) · weight}, as Hugging Face's LlamaRMSNorm: a prompt's rows
     * {@code [T, D]} on the native kernels where the model has them, else (one row, or no kernels) the engine.
     */
    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NativePrefill kernels = scratch.nativePrefill();
        if (kernels != null && x.getShape().dimension() == 2 && x.getShape().get(0) > 1) {
            return kernels.rmsNorm(x, weight, (float) config.rmsNormEps());
        }
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        return x.div(meanSquare.add(config.rmsNormEps()).sqrt()).mul(weight);
    }

    /** {@code x·cos + rotate_half(x)·sin} with {@code rotate_half([a, b]) = [-b, a]} over the head axis. */
    private static NDArray rotate(NDArray x, NDArray[] cosSin) {
        long half = x.getShape().get(2) / 2;
        NDArray first = x.get(new NDIndex(":, :, :{}", half));
        NDArray second = x.get(new NDIndex(":, :, {}:", half));
        NDArray rotated = NDArrays.concat(new ai.djl.ndarray.NDList(second.neg(), first), -1);
        return x.mul(cosSin[0]).add(rotated.mul(cosSin[1]));
    }

    /**
     * 0 where query {@code P + i} may attend key {@code from + c}, −∞ elsewhere: the key is not in the future and
     * is one of the query's last {@code window} positions ({@code (P + i) − (from + c) < window}, transformers'
     * {@code sliding_window_overlay}: {@code kv_idx > q_idx - sliding_window}). {@code [count, P + count − from]}.
     */
    private NDArray causalMask(int cached, int count, int from, int window) {
        int width = cached + count - from;
        float[] mask = new float[count * width];
        for (int i = 0; i < count; i++) {
            int query = cached + i;
            for (int c = 0; c < width; c++) {
                int key = from + c;
                if (key > query || query - key >= window) {
                    mask[i * width + c] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        return manager.create(mask, new Shape(count, width)).toType(dataType, false);
    }
}
