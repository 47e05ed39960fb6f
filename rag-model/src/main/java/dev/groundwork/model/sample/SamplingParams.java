package dev.groundwork.model.sample;

import java.util.List;

/**
 * How the next token is chosen, and when generation stops.
 *
 * @param temperature 0 means greedy (argmax); otherwise logits are divided by it before softmax
 * @param topK keep only the k most likely tokens; 0 disables
 * @param topP keep the smallest set of most likely tokens whose probability mass is at least p; 1 disables
 * @param minP drop tokens whose probability is below minP times the top token's; 0 disables
 * @param repetitionPenalty CTRL-style penalty (&gt; 1 discourages tokens already seen); 1 disables
 * @param frequencyPenalty subtracted from a token's logit once per earlier occurrence; 0 disables
 * @param presencePenalty subtracted from a token's logit if it occurred at all; 0 disables
 * @param seed seed of the random generator: the same seed, model and prompt give the same output
 * @param maxNewTokens most tokens to generate
 * @param stop strings that end generation when they appear in the output (they are not returned)
 */
public record SamplingParams(double temperature, int topK, double topP, double minP, double repetitionPenalty,
        double frequencyPenalty, double presencePenalty, long seed, int maxNewTokens, List<String> stop) {

    public SamplingParams {
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, was " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, was " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], was " + topP);
        }
        if (minP < 0 || minP >= 1) {
            throw new IllegalArgumentException("minP must be in [0, 1), was " + minP);
        }
        if (!(repetitionPenalty > 0)) {
            throw new IllegalArgumentException("repetitionPenalty must be > 0, was " + repetitionPenalty);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, was " + maxNewTokens);
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    /** Greedy decoding of at most {@code maxNewTokens} tokens, no penalties. */
    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(0, 0, 1, 0, 1, 0, 0, 0, maxNewTokens, List.of());
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
