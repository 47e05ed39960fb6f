package dev.groundwork.ingest.bench;

import dev.groundwork.model.embed.Embedder;
import dev.groundwork.model.tokenize.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps an embedder to measure the time spent embedding passages and to keep a sample of the passages seen,
 * so the benchmark can replay the very same inputs on a peer runtime. The sample is a seeded reservoir sample
 * over all passages, so it represents the whole corpus, not its first files. Thread-safe.
 */
final class MeasuredEmbedder implements Embedder {

    private final Embedder delegate;
    private final int sampleSize;
    private final List<String> sample = new ArrayList<>();
    private final Random random;
    private long seen;
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong texts = new AtomicLong();

    MeasuredEmbedder(Embedder delegate, int sampleSize, long seed) {
        this.delegate = delegate;
        this.sampleSize = sampleSize;
        this.random = new Random(seed);
    }

    @Override
    public List<float[]> embedAll(List<String> inputs) {
        long start = System.nanoTime();
        List<float[]> vectors = delegate.embedAll(inputs);
        nanos.addAndGet(System.nanoTime() - start);
        texts.addAndGet(inputs.size());
        synchronized (sample) {
            for (String input : inputs) {
                seen++;
                if (sample.size() < sampleSize) {
                    sample.add(input);
                } else {
                    long slot = (long) (random.nextDouble() * seen);
                    if (slot < sampleSize) {
                        sample.set((int) slot, input);
                    }
                }
            }
        }
        return vectors;
    }

    long nanos() {
        return nanos.get();
    }

    long texts() {
        return texts.get();
    }

    List<String> sample() {
        synchronized (sample) {
            return List.copyOf(sample);
        }
    }

    @Override
    public float[] embedQuery(String query) {
        return delegate.embedQuery(query);
    }

    @Override
    public String modelId() {
        return delegate.modelId();
    }

    @Override
    public int dimensions() {
        return delegate.dimensions();
    }

    @Override
    public int maxInputTokens() {
        return delegate.maxInputTokens();
    }

    @Override
    public TokenCounter tokenCounter() {
        return delegate.tokenCounter();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
