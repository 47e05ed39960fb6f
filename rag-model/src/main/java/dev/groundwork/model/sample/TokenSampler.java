package dev.groundwork.model.sample;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses the next token from a logits vector according to {@link SamplingParams}.
 *
 * <p>Order of operations, as Hugging Face's {@code generate} applies its processors: penalties (repetition,
 * frequency, presence; applied in greedy mode too, as Hugging Face does), then greedy argmax when the temperature
 * is 0; otherwise temperature, top-k, top-p (on the distribution renormalised over the top-k survivors), min-p
 * (relative to the most likely token) and a draw from the survivors with a random generator seeded by
 * {@link SamplingParams#seed()}: the same seed and logits give the same sequence of tokens.
 *
 * <p>Cost per token is linear in the vocabulary plus a sort of few candidates: top-k uses a bounded heap and sorts
 * its k survivors; top-p alone builds a histogram of probability mass over logit buckets and sorts only the bucket
 * where the cumulative mass crosses p; min-p is a threshold on the logit. Ties are broken by the lower token id. Nothing is boxed; the
 * work buffers are reused between calls.
 *
 * <p>Not thread-safe (it owns a seeded random generator and buffers): one instance per generation.
 */
public class TokenSampler {

    private final SamplingParams params;
    private final SplittableRandom random;
    private final Penalties penalties;
    /** Candidates as {@link #encode} keys; reused between calls. */
    private long[] candidates = new long[0];
    /** Unnormalised probabilities of the candidates in the order of {@link #candidates}, best first. */
    private double[] weights = new double[0];
    /** Unnormalised probabilities of the whole vocabulary (paths without top-k). */
    private double[] vocabWeights = new double[0];
    private static final int BUCKETS = 1024;
    /** Logit span (after temperature) covered by the buckets; lower logits share the last bucket. */
    private static final double BUCKET_RANGE = 32;
    private final double[] bucketMass = new double[BUCKETS];
    private final int[] bucketCount = new int[BUCKETS];
    private short[] vocabBuckets = new short[0];

    public TokenSampler(SamplingParams params) {
        this.params = params;
        this.random = new SplittableRandom(params.seed());
        this.penalties = new Penalties(params.repetitionPenalty(), params.frequencyPenalty(), params.presencePenalty());
    }

    /**
     * @param logits the model's logits for the next position; modified in place (penalties, temperature)
     * @param history the token ids so far (prompt and generated), used by the penalties
     * @param length how many entries of {@code history} are valid
     * @return the chosen token id
     */
    public int next(float[] logits, int[] history, int length) {
        if (logits.length == 0) {
            throw new IllegalArgumentException("empty logits");
        }
        penalties.apply(logits, history, length);
        if (params.isGreedy()) {
            return argmax(logits);
        }
        float invTemperature = (float) (1.0 / params.temperature());
        for (int i = 0; i < logits.length; i++) {
            logits[i] *= invTemperature;
        }
        int topK = params.topK() > 0 && params.topK() < logits.length ? params.topK() : 0;
        if (topK == 0) {
            return sampleWithoutTopK(logits);
        }
        boolean topP = params.topP() < 1;
        int n = selectTopK(logits, topK);
        // Best first: the keys sort ascending, so walk from the end.
        Arrays.sort(candidates, 0, n);
        reverse(candidates, n);
        double max = logits[decodeIndex(candidates[0])];
        double total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = Math.exp(logits[decodeIndex(candidates[i])] - max);
            total += weights[i];
        }
        int kept = n;
        if (topP) {
            double cumulative = 0;
            for (int i = 0; i < n; i++) {
                cumulative += weights[i];
                if (cumulative >= params.topP() * total) {
                    kept = i + 1;
                    break;
                }
            }
        }
        if (params.minP() > 0) {
            // weights[0] == 1 is the top probability (unnormalised); min-p compares ratios.
            int j = 0;
            while (j < kept && weights[j] >= params.minP()) {
                j++;
            }
            kept = Math.max(1, j);
        }
        double keptMass = 0;
        for (int i = 0; i < kept; i++) {
            keptMass += weights[i];
        }
        double r = random.nextDouble() * keptMass;
        for (int i = 0; i < kept - 1; i++) {
            r -= weights[i];
            if (r < 0) {
                return decodeIndex(candidates[i]);
            }
        }
        return decodeIndex(candidates[kept - 1]);
    }

    public SamplingParams params() {
        return params;
    }

    /**
     * No top-k: draws from the whole softmax, restricted to the nucleus (top-p) and by min-p. The nucleus is the set
     * of tokens whose key is at least a cut key, found without sorting the vocabulary: a histogram of probability mass
     * over logit buckets finds the bucket where the cumulative mass crosses p, and only that bucket's tokens are
     * sorted.
     */
    private int sampleWithoutTopK(float[] logits) {
        int vocab = logits.length;
        if (vocabWeights.length < vocab) {
            vocabWeights = new double[vocab];
        }
        double[] w = vocabWeights;
        float max = logits[argmax(logits)];
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            w[i] = Math.exp(logits[i] - max);
            total += w[i];
        }
        long cut = params.topP() < 1 ? nucleusCut(logits, w, total, max) : Long.MIN_VALUE;
        // min-p: p_i >= minP * p_max  <=>  logit_i >= max + ln(minP)
        double floor = params.minP() > 0 ? max + Math.log(params.minP()) : Double.NEGATIVE_INFINITY;
        double kept = 0;
        if (cut == Long.MIN_VALUE && floor == Double.NEGATIVE_INFINITY) {
            kept = total;
        } else {
            for (int i = 0; i < vocab; i++) {
                if (logits[i] >= floor && encode(logits[i], i) >= cut) {
                    kept += w[i];
                } else {
                    w[i] = 0; // filtered out: never drawn
                }
            }
        }
        double r = random.nextDouble() * kept;
        int last = -1;
        for (int i = 0; i < vocab; i++) {
            if (w[i] > 0) {
                r -= w[i];
                last = i;
                if (r < 0) {
                    return i;
                }
            }
        }
        return last; // rounding left r marginally positive
    }

    /** {@link #nucleusCut} on raw logits (temperature already applied), for tests. */
    long nucleusCut(float[] logits) {
        double[] w = new double[logits.length];
        float max = logits[argmax(logits)];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            w[i] = Math.exp(logits[i] - max);
            total += w[i];
        }
        return nucleusCut(logits, w, total, max);
    }

    /** The smallest key of the nucleus: tokens with a key at least this carry mass >= p, and no smaller set does. */
    private long nucleusCut(float[] logits, double[] w, double total, float max) {
        Arrays.fill(bucketMass, 0);
        Arrays.fill(bucketCount, 0);
        if (vocabBuckets.length < logits.length) {
            vocabBuckets = new short[logits.length];
        }
        for (int i = 0; i < logits.length; i++) {
            int b = bucket(logits[i], max);
            vocabBuckets[i] = (short) b;
            bucketMass[b] += w[i];
            bucketCount[b]++;
        }
        // Buckets are ordered: every token of bucket b has a higher logit than any of bucket b + 1.
        double target = params.topP() * total;
        double cumulative = 0;
        int crossing = BUCKETS - 1;
        for (int b = 0; b < BUCKETS; b++) {
            if (cumulative + bucketMass[b] >= target) {
                crossing = b;
                break;
            }
            cumulative += bucketMass[b];
        }
        int n = bucketCount[crossing];
        ensureCapacity(n);
        int j = 0;
        for (int i = 0; i < logits.length && j < n; i++) {
            if (vocabBuckets[i] == crossing) {
                candidates[j++] = encode(logits[i], i);
            }
        }
        Arrays.sort(candidates, 0, n);
        for (int k = n - 1; k >= 0; k--) {
            cumulative += w[decodeIndex(candidates[k])];
            if (cumulative >= target) {
                return candidates[k];
            }
        }
        return n > 0 ? candidates[0] : Long.MIN_VALUE;
    }

    private static int bucket(float logit, float max) {
        double scaled = (max - logit) * (BUCKETS / BUCKET_RANGE);
        return scaled >= BUCKETS - 1 || Double.isNaN(scaled) ? BUCKETS - 1 : (int) scaled;
    }

    /** Keeps the k best tokens in a bounded min-heap of keys; returns k. */
    private int selectTopK(float[] logits, int k) {
        ensureCapacity(k);
        long[] heap = candidates;
        int size = 0;
        for (int i = 0; i < logits.length; i++) {
            long key = encode(logits[i], i);
            if (size < k) {
                heap[size] = key;
                siftUp(heap, size++);
            } else if (key > heap[0]) {
                heap[0] = key;
                siftDown(heap, k);
            }
        }
        return k;
    }

    private void ensureCapacity(int n) {
        if (candidates.length < n) {
            candidates = new long[n];
            weights = new double[n];
        }
    }

    /**
     * A key whose signed order is (logit ascending, token id descending): the largest key is the best token, and
     * of equal logits the lower id wins.
     */
    static long encode(float logit, int index) {
        int bits = Float.floatToIntBits(logit == 0f ? 0f : logit); // -0 and +0 equal
        int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) sortable << 32) | (~index & 0xffffffffL);
    }

    static int decodeIndex(long key) {
        return ~(int) key;
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void reverse(long[] a, int n) {
        for (int i = 0, j = n - 1; i < j; i++, j--) {
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void siftUp(long[] heap, int i) {
        long key = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= key) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = key;
    }

    private static void siftDown(long[] heap, int size) {
        long key = heap[0];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= key) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = key;
    }
}
