package dev.groundwork.ingest.testdoubles;

import dev.groundwork.model.embed.Embedder;
import dev.groundwork.model.tokenize.TokenCounter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic test embedder: hashed bag of lower-cased words, L2-normalised, so texts sharing words get
 * similar vectors. Counts the texts it embedded, so tests can assert that no embedding work happened.
 */
public final class HashingEmbedder implements Embedder {

    private final int dimensions;
    private final String modelId;
    private final AtomicInteger embedded = new AtomicInteger();

    public HashingEmbedder() {
        this(64, "test-hashing-64");
    }

    public HashingEmbedder(int dimensions, String modelId) {
        this.dimensions = dimensions;
        this.modelId = modelId;
    }

    /** Number of passages embedded so far (queries excluded). */
    public int embeddedTexts() {
        return embedded.get();
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
        return 256;
    }

    @Override
    public TokenCounter tokenCounter() {
        return text -> text.isBlank() ? 0 : text.trim().split("\\s+").length;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        embedded.addAndGet(texts.size());
        return texts.stream().map(this::vector).toList();
    }

    @Override
    public float[] embedQuery(String query) {
        return vector(query);
    }

    private float[] vector(String text) {
        float[] v = new float[dimensions];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                v[Math.floorMod(word.hashCode(), dimensions)] += 1;
            }
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            v[0] = 1;
            return v;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    @Override
    public void close() {
    }
}
