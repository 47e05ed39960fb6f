package dev.groundwork.ingest.index.postgres;

import dev.groundwork.model.embed.Embedder;
import dev.groundwork.model.tokenize.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Synthetic text and vectors for store benchmarks at scales no real corpus on the machine reaches: chunks are
 * words drawn from a Zipf-like vocabulary, and a chunk's vector is the normalised sum of fixed random vectors of
 * its words, so the dense and the lexical side agree about what is similar (as with a real model) and vectors form
 * realistic clusters. Deterministic for a seed. The embedder is thread-safe.
 */
final class SyntheticCorpus implements Embedder {

    private final int dimensions;
    private final float[][] wordVectors;
    private final double[] cumulative;

    SyntheticCorpus(int vocabulary, int dimensions, long seed) {
        this.dimensions = dimensions;
        Random random = new Random(seed);
        wordVectors = new float[vocabulary][dimensions];
        for (float[] v : wordVectors) {
            for (int i = 0; i < dimensions; i++) {
                v[i] = (float) random.nextGaussian();
            }
        }
        cumulative = new double[vocabulary];
        double sum = 0;
        for (int w = 0; w < vocabulary; w++) {
            sum += 1.0 / Math.pow(w + 1, 0.9);
            cumulative[w] = sum;
        }
        for (int w = 0; w < vocabulary; w++) {
            cumulative[w] /= sum;
        }
    }

    /** {@code words} words drawn from the vocabulary. */
    String text(Random random, int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            int w = java.util.Arrays.binarySearch(cumulative, random.nextDouble());
            text.append(i == 0 ? "" : " ").append(word(w < 0 ? -w - 1 : w));
        }
        return text.toString();
    }

    private static String word(int index) {
        // Letters only, so that the English analyzer keeps each word as one token.
        StringBuilder word = new StringBuilder("w");
        for (int n = index; ; n /= 26) {
            word.append((char) ('a' + n % 26));
            if (n < 26) {
                return word.toString();
            }
        }
    }

    private int index(String word) {
        int n = 0;
        for (int i = word.length() - 1; i >= 1; i--) {
            n = n * 26 + (word.charAt(i) - 'a');
        }
        return n;
    }

    @Override
    public String modelId() {
        return "synthetic-" + dimensions;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public int maxInputTokens() {
        return 512;
    }

    @Override
    public TokenCounter tokenCounter() {
        return text -> text.isBlank() ? 0 : text.trim().split("\\s+").length;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            float[] v = new float[dimensions];
            for (String word : text.toLowerCase(Locale.ROOT).split("\\s+")) {
                int w = index(word);
                if (word.startsWith("w") && w >= 0 && w < wordVectors.length) {
                    for (int i = 0; i < dimensions; i++) {
                        v[i] += wordVectors[w][i];
                    }
                }
            }
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < dimensions; i++) {
                v[i] *= scale;
            }
            if (norm == 0) {
                v[0] = 1;
            }
            vectors.add(v);
        }
        return vectors;
    }

    @Override
    public void close() {
    }
}
