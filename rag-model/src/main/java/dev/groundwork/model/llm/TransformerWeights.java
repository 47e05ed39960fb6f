package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;

/**
 * All weights of a Llama-family decoder, loaded from Hugging Face names ({@code model.layers.N.self_attn.q_proj
 * .weight}, ...). The query, key and value projections are stacked into one matrix, as are the gate and up
 * projections: a decode step then makes two matrix products fewer per layer and fewer engine calls, which
 * dominate small models. Immutable; owned by the model's NDManager.
 *
 * @param embedding {@code [vocab, hidden]}: dense, or int8 when the projections are
 * @param layers one entry per decoder layer
 * @param finalNorm {@code [hidden]}
 * @param lmHead projection to logits; shares {@code embedding} when the embeddings are tied
 */
record TransformerWeights(TokenEmbedding embedding, List<Layer> layers, NDArray finalNorm, Projection lmHead) {

    /**
     * @param qkv rows: H query heads, then K key heads, then K value heads, each {@code headDim} wide
     * @param qkNorm {@code [H + K, headDim]}: Qwen3's q_norm for each query head then k_norm for each key head;
     *     null for other families
     * @param gateUp rows: the gate projection's, then the up projection's
     */
    record Layer(NDArray inputNorm, Projection qkv, NDArray qkNorm, Projection o, NDArray postAttentionNorm,
            Projection gateUp, Projection down) {
    }

    static TransformerWeights load(WeightLoader loader, ModelConfig c) {
        long hidden = c.hiddenSize();
        long qWidth = (long) c.numHeads() * c.headDim();
        long kvWidth = (long) c.numKvHeads() * c.headDim();
        long ffn = c.intermediateSize();
        String embeddingName = "model.embed_tokens.weight";
        TokenEmbedding embedding = loader.int8()
                ? loader.loadInt8(new String[] {embeddingName}, new long[] {c.vocabSize()}, hidden)
                : new TokenEmbedding.Dense(loader.loadMatrix(embeddingName, c.vocabSize(), hidden));
        List<Layer> layers = new ArrayList<>(c.numLayers());
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            NDArray qkNorm = null;
            if (c.qkNorm()) {
                NDArray q = loader.load(p + "self_attn.q_norm.weight", c.headDim());
                NDArray k = loader.load(p + "self_attn.k_norm.weight", c.headDim());
                qkNorm = NDArrays.concat(new NDList(q.expandDims(0).repeat(0, c.numHeads()),
                        k.expandDims(0).repeat(0, c.numKvHeads())), 0);
                q.close();
                k.close();
            }
            layers.add(new Layer(
                    loader.load(p + "input_layernorm.weight", hidden),
                    projection(loader, new String[] {p + "self_attn.q_proj", p + "self_attn.k_proj",
                        p + "self_attn.v_proj"}, new long[] {qWidth, kvWidth, kvWidth}, hidden),
                    qkNorm,
                    projection(loader, new String[] {p + "self_attn.o_proj"}, new long[] {hidden}, qWidth),
                    loader.load(p + "post_attention_layernorm.weight", hidden),
                    projection(loader, new String[] {p + "mlp.gate_proj", p + "mlp.up_proj"},
                            new long[] {ffn, ffn}, hidden),
                    projection(loader, new String[] {p + "mlp.down_proj"}, new long[] {hidden}, ffn)));
        }
        NDArray norm = loader.load("model.norm.weight", hidden);
        Projection head;
        if (!c.tieWordEmbeddings()) {
            head = projection(loader, new String[] {"lm_head"}, new long[] {c.vocabSize()}, hidden);
        } else if (embedding instanceof Int8Matrix quantized) {
            head = new Int8Linear(quantized, null);
        } else {
            head = new Linear(((TokenEmbedding.Dense) embedding).table(), null, null);
        }
        return new TransformerWeights(embedding, List.copyOf(layers), norm, head);
    }

    /** Stacked projections sharing one input, int8 when the loader quantizes, else {@link Linear}. */
    private static Projection projection(WeightLoader loader, String[] prefixes, long[] outs, long in) {
        if (!loader.int8()) {
            return Linear.loadStacked(loader, prefixes, outs, in);
        }
        return new Int8Linear(loader.loadInt8(Linear.weightNames(prefixes), outs, in),
                Linear.loadBias(loader, prefixes, outs));
    }

    /** Bytes of weights read per decoded token: every projection plus one embedding row. */
    long decodeBytesPerToken() {
        long total = lmHead.decodeBytes() + embedding.rowBytes();
        for (Layer l : layers) {
            total += l.qkv.decodeBytes() + l.o.decodeBytes() + l.gateUp.decodeBytes() + l.down.decodeBytes();
        }
        return total;
    }
}
