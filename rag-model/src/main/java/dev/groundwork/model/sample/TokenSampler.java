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
 * <p>Cost per token is linear in the vocabulary plus a sort of the candidates only: top-k uses a bounded heap,
 * top-p sorts only tokens whose probability is at least {@code (1 - p) / vocab} (no token below that bound can be
 * in the nucleus), min-p filters by a threshold. Ties are broken by the lower token id. Nothing is boxed; the
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
        boolean topP = params.topP() < 1;
        if (topK == 0 && !topP) {
            return sampleAll(logits);
        }
        int n = topK > 0 ? selectTopK(logits, topK) : selectNucleusCandidates(logits);
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

    /** No top-k or top-p: draw from the whole softmax (min-p as a threshold on the logit). */
    private int sampleAll(float[] logits) {
        int best = argmax(logits);
        double max = logits[best];
        // p_i >= minP * p_max  <=>  logit_i >= max + ln(minP)
        double floor = params.minP() > 0 ? max + Math.log(params.minP()) : Double.NEGATIVE_INFINITY;
        double total = 0;
        for (float logit : logits) {
            if (logit >= floor) {
                total += Math.exp(logit - max);
            }
        }
        double r = random.nextDouble() * total;
        int last = best;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] >= floor) {
                r -= Math.exp(logits[i] - max);
                last = i;
                if (r < 0) {
                    return i;
                }
            }
        }
        return last; // rounding left r marginally positive
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

    /** Collects every token that can be in the nucleus: probability at least (1 - p) / vocab. */
    private int selectNucleusCandidates(float[] logits) {
        int best = argmax(logits);
        double max = logits[best];
        double total = 0;
        for (float logit : logits) {
            total += Math.exp(logit - max);
        }
        // If token t is in the nucleus, the tokens from t on carry more than 1 - p and none is more likely than t.
        double floor = max + Math.log((1 - params.topP()) / logits.length * total);
        int n = 0;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] >= floor) {
                n++;
            }
        }
        ensureCapacity(n);
        int j = 0;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] >= floor) {
                candidates[j++] = encode(logits[i], i);
            }
        }
        return n;
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
