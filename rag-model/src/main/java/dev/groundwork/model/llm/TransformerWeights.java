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
 * @param embedding {@code [vocab, hidden]}
 * @param layers one entry per decoder layer
 * @param finalNorm {@code [hidden]}
 * @param lmHead projection to logits; shares {@code embedding} when the embeddings are tied
 */
record TransformerWeights(NDArray embedding, List<Layer> layers, NDArray finalNorm, Linear lmHead) {

    /**
     * @param qkv rows: H query heads, then K key heads, then K value heads, each {@code headDim} wide
     * @param qkNorm {@code [H + K, headDim]}: Qwen3's q_norm for each query head then k_norm for each key head;
     *     null for other families
     * @param gateUp rows: the gate projection's, then the up projection's
     */
    record Layer(NDArray inputNorm, Linear qkv, NDArray qkNorm, Linear o, NDArray postAttentionNorm, Linear gateUp,
            Linear down) {
    }

    static TransformerWeights load(WeightLoader loader, ModelConfig c) {
        long hidden = c.hiddenSize();
        long qWidth = (long) c.numHeads() * c.headDim();
        long kvWidth = (long) c.numKvHeads() * c.headDim();
        long ffn = c.intermediateSize();
        NDArray embedding = loader.loadMatrix("model.embed_tokens.weight", c.vocabSize(), hidden);
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
                    Linear.loadStacked(loader, new String[] {p + "self_attn.q_proj", p + "self_attn.k_proj",
                        p + "self_attn.v_proj"}, new long[] {qWidth, kvWidth, kvWidth}, hidden),
                    qkNorm,
                    Linear.load(loader, p + "self_attn.o_proj", hidden, qWidth),
                    loader.load(p + "post_attention_layernorm.weight", hidden),
                    Linear.loadStacked(loader, new String[] {p + "mlp.gate_proj", p + "mlp.up_proj"},
                            new long[] {ffn, ffn}, hidden),
                    Linear.load(loader, p + "mlp.down_proj", hidden, ffn)));
        }
        NDArray norm = loader.load("model.norm.weight", hidden);
        Linear head = c.tieWordEmbeddings()
                ? new Linear(embedding, null, null)
                : Linear.load(loader, "lm_head", c.vocabSize(), hidden);
        return new TransformerWeights(embedding, List.copyOf(layers), norm, head);
    }

    /** Bytes of weights read per decoded token: every projection plus one embedding row. */
    long decodeBytesPerToken() {
        long total = lmHead.decodeBytes() + embedding.getShape().get(1) * embedding.getDataType().getNumOfBytes();
        for (Layer l : layers) {
            total += l.qkv.decodeBytes() + l.o.decodeBytes() + l.gateUp.decodeBytes() + l.down.decodeBytes();
        }
        return total;
    }
}
