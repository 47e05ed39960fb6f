package dev.groundwork.model.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * Feeds a {@link TokenBatch} to a BERT-style ONNX encoder and turns its token vectors into normalised sentence
 * vectors. Stateless apart from its configuration, so one instance serves every predictor and thread.
 *
 * <p>Pooling runs on plain Java arrays: DJL's OnnxRuntime NDArrays only carry data between Java and the
 * session, they implement almost no operators.
 */
final class PoolingTranslator implements NoBatchifyTranslator<TokenBatch, float[][]> {

    private static final String BATCH = "batch";
    private static final String HIDDEN_STATE = "last_hidden_state";

    private final List<String> inputNames;
    private final Pooling pooling;

    /** @param inputNames the model's inputs, in its order; each is input_ids, attention_mask or token_type_ids */
    PoolingTranslator(List<String> inputNames, Pooling pooling) {
        for (String name : inputNames) {
            if (!List.of("input_ids", "attention_mask", "token_type_ids").contains(name)) {
                throw new IllegalArgumentException("unsupported model input '" + name
                        + "': expected input_ids, attention_mask and optionally token_type_ids");
            }
        }
        if (!inputNames.contains("input_ids") || !inputNames.contains("attention_mask")) {
            throw new IllegalArgumentException("the model needs inputs input_ids and attention_mask, it has "
                    + inputNames);
        }
        this.inputNames = List.copyOf(inputNames);
        this.pooling = pooling;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, TokenBatch batch) {
        ctx.setAttachment(BATCH, batch);
        NDManager manager = ctx.getNDManager();
        Shape shape = new Shape(batch.rows(), batch.tokens());
        NDList inputs = new NDList(inputNames.size());
        for (String name : inputNames) {
            long[] values = switch (name) {
                case "input_ids" -> batch.ids();
                case "attention_mask" -> batch.attentionMask();
                default -> batch.typeIds();
            };
            NDArray array = manager.create(values, shape);
            array.setName(name);
            inputs.add(array);
        }
        return inputs;
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList outputs) {
        TokenBatch batch = (TokenBatch) ctx.getAttachment(BATCH);
        NDArray hidden = hiddenState(outputs);
        Shape shape = hidden.getShape();
        if (shape.dimension() != 3 || shape.get(0) != batch.rows() || shape.get(1) != batch.tokens()) {
            throw new IllegalStateException("expected token vectors of shape [" + batch.rows() + ", "
                    + batch.tokens() + ", dims], the model returned " + shape);
        }
        int dims = Math.toIntExact(shape.get(2));
        float[] values = hidden.toFloatArray();
        float[][] vectors = new float[batch.rows()][];
        for (int row = 0; row < batch.rows(); row++) {
            vectors[row] = Pooling.normalize(pooling.pool(values, batch.attentionMask(), row, batch.tokens(), dims));
        }
        return vectors;
    }

    /** The per-token output: named last_hidden_state in exports from optimum/sentence-transformers, else the first 3-D. */
    private static NDArray hiddenState(NDList outputs) {
        NDArray named = outputs.get(HIDDEN_STATE);
        if (named != null) {
            return named;
        }
        for (NDArray output : outputs) {
            if (output.getShape().dimension() == 3) {
                return output;
            }
        }
        throw new IllegalStateException("the model has no [batch, tokens, dims] output; outputs: "
                + outputs.getShapes());
    }
}
