package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * All weights of a Llama-family decoder, named as in Hugging Face checkpoints
 * ({@code model.layers.N.self_attn.q_proj.weight}, ...). Immutable; owned by the model's NDManager.
 *
 * @param embedding {@code [vocab, hidden]}
 * @param layers one entry per decoder layer
 * @param finalNorm {@code [hidden]}
 * @param lmHead projection to logits; shares {@code embedding} when the embeddings are tied
 */
record TransformerWeights(NDArray embedding, List<Layer> layers, NDArray finalNorm, Linear lmHead) {

    /**
     * @param qNorm {@code [headDim]} for Qwen3's per-head query norm, else null
     * @param kNorm {@code [headDim]} for Qwen3's per-head key norm, else null
     */
    record Layer(NDArray inputNorm, Linear q, Linear k, Linear v, Linear o, NDArray qNorm, NDArray kNorm,
            NDArray postAttentionNorm, Linear gate, Linear up, Linear down) {
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
            layers.add(new Layer(
                    loader.load(p + "input_layernorm.weight", hidden),
                    Linear.load(loader, p + "self_attn.q_proj", qWidth, hidden),
                    Linear.load(loader, p + "self_attn.k_proj", kvWidth, hidden),
                    Linear.load(loader, p + "self_attn.v_proj", kvWidth, hidden),
                    Linear.load(loader, p + "self_attn.o_proj", hidden, qWidth),
                    c.qkNorm() ? loader.load(p + "self_attn.q_norm.weight", c.headDim()) : null,
                    c.qkNorm() ? loader.load(p + "self_attn.k_norm.weight", c.headDim()) : null,
                    loader.load(p + "post_attention_layernorm.weight", hidden),
                    Linear.load(loader, p + "mlp.gate_proj", ffn, hidden),
                    Linear.load(loader, p + "mlp.up_proj", ffn, hidden),
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
            total += l.q.decodeBytes() + l.k.decodeBytes() + l.v.decodeBytes() + l.o.decodeBytes()
                    + l.gate.decodeBytes() + l.up.decodeBytes() + l.down.decodeBytes();
        }
        return total;
    }
}
