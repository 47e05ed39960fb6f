package dev.groundwork.model.sample;

/**
 * Chooses the next token from a logits vector according to {@link SamplingParams}.
 * TODO(skeleton): only greedy decoding so far; the sampling work implements temperature, top-k, top-p, min-p and
 * the penalties. Not thread-safe (it owns a seeded random generator): one instance per generation.
 */
public class TokenSampler {

    private final SamplingParams params;

    public TokenSampler(SamplingParams params) {
        this.params = params;
    }

    /**
     * @param logits the model's logits for the next position; may be modified in place
     * @param history the token ids so far (prompt and generated), used by the penalties
     * @param length how many entries of {@code history} are valid
     * @return the chosen token id
     */
    public int next(float[] logits, int[] history, int length) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    public SamplingParams params() {
        return params;
    }
}
