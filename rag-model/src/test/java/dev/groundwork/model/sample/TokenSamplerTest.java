package dev.groundwork.model.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {

    private static final int[] NO_HISTORY = new int[0];

    private static SamplingParams params(double temperature, int topK, double topP, double minP, long seed) {
        return new SamplingParams(temperature, topK, topP, minP, 1, 0, 0, seed, 16, List.of());
    }

    /** Logits whose softmax is exactly {@code probabilities}. */
    private static float[] logitsOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }

    private static Set<Integer> drawn(SamplingParams p, float[] logits, int draws) {
        TokenSampler sampler = new TokenSampler(p);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < draws; i++) {
            seen.add(sampler.next(logits.clone(), NO_HISTORY, 0));
        }
        return seen;
    }

    @Test
    void greedyPicksTheArgmaxAndTheLowerIdOnTies() {
        TokenSampler sampler = new TokenSampler(SamplingParams.greedy(4));
        assertThat(sampler.next(new float[] {0.1f, 3f, -2f, 2.9f}, NO_HISTORY, 0)).isEqualTo(1);
        assertThat(sampler.next(new float[] {1f, 5f, 5f, 0f}, NO_HISTORY, 0)).isEqualTo(1);
    }

    @Test
    void topKNeverLeavesTheKBestOverManySeeds() {
        Random rnd = new Random(7);
        float[] logits = new float[1000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) rnd.nextGaussian();
        }
        // The 5 best by brute force.
        Set<Integer> best = new HashSet<>();
        float[] copy = logits.clone();
        for (int k = 0; k < 5; k++) {
            int arg = TokenSampler.argmax(copy);
            best.add(arg);
            copy[arg] = Float.NEGATIVE_INFINITY;
        }
        Set<Integer> all = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            // High temperature flattens the distribution so that a leak outside the k best would show.
            all.addAll(drawn(params(5.0, 5, 1, 0, seed), logits, 10));
        }
        assertThat(all).isEqualTo(best);
    }

    @Test
    void topPKeepsExactlyTheSmallestSetWithMassAtLeastP() {
        float[] logits = logitsOf(0.05, 0.4, 0.1, 0.3, 0.15);
        // Sorted: 0.4 (1), 0.3 (3), 0.15 (4), 0.1 (2), 0.05 (0); cumulative 0.4, 0.7, 0.85, 0.95, 1.0
        assertThat(drawn(params(1, 0, 0.69, 0, 1), logits, 2000)).containsExactlyInAnyOrder(1, 3);
        assertThat(drawn(params(1, 0, 0.8, 0, 1), logits, 2000)).containsExactlyInAnyOrder(1, 3, 4);
        assertThat(drawn(params(1, 0, 0.3, 0, 1), logits, 2000)).containsExactly(1);
        assertThat(drawn(params(1, 0, 0.9, 0, 1), logits, 4000)).containsExactlyInAnyOrder(1, 3, 4, 2);
    }

    @Test
    void topPCutEqualsABruteForceNucleusOnLargeVocabularies() {
        Random rnd = new Random(5);
        for (double scale : new double[] {0.5, 2, 8}) {
            float[] logits = new float[50_000];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) (rnd.nextGaussian() * scale);
            }
            logits[17] = logits[18]; // a tie, broken by the lower id
            for (double p : new double[] {0.1, 0.5, 0.9, 0.99}) {
                assertThat(new TokenSampler(params(1, 0, p, 0, 0)).nucleusCut(logits))
                        .as("scale %s, p %s", scale, p).isEqualTo(bruteForceCut(logits, p));
            }
        }
    }

    /** Sorts the whole vocabulary and accumulates probabilities, best first, until the mass reaches p. */
    private static long bruteForceCut(float[] logits, double p) {
        long[] keys = new long[logits.length];
        float max = logits[TokenSampler.argmax(logits)];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            keys[i] = TokenSampler.encode(logits[i], i);
            total += Math.exp(logits[i] - max);
        }
        java.util.Arrays.sort(keys);
        double cumulative = 0;
        for (int i = keys.length - 1; i >= 0; i--) {
            cumulative += Math.exp(logits[TokenSampler.decodeIndex(keys[i])] - max);
            if (cumulative >= p * total) {
                return keys[i];
            }
        }
        return keys[0];
    }

    @Test
    void topPAppliesToTheDistributionRenormalisedAfterTopK() {
        float[] logits = logitsOf(0.05, 0.4, 0.1, 0.3, 0.15);
        // After top-3: 0.4, 0.3, 0.15 renormalised by 0.85: 0.47, 0.35, 0.18. p = 0.8 -> {1, 3}, since 0.82 >= 0.8.
        assertThat(drawn(params(1, 3, 0.8, 0, 3), logits, 3000)).containsExactlyInAnyOrder(1, 3);
        // Without the renormalisation 0.4 + 0.3 = 0.7 < 0.8 and token 4 would stay.
        assertThat(drawn(params(1, 0, 0.8, 0, 3), logits, 3000)).contains(4);
    }

    @Test
    void minPDropsExactlyTheTokensBelowTheThreshold() {
        float[] logits = logitsOf(0.05, 0.4, 0.1, 0.3, 0.15);
        // threshold 0.3 * 0.4 = 0.12: keeps 0.4, 0.3, 0.15; drops 0.1 and 0.05.
        assertThat(drawn(params(1, 0, 1, 0.3, 5), logits, 3000)).containsExactlyInAnyOrder(1, 3, 4);
        // Same through the sorted path (top-k active but not binding).
        assertThat(drawn(params(1, 5, 1, 0.3, 5), logits, 3000)).containsExactlyInAnyOrder(1, 3, 4);
        // threshold 0.26 * 0.4 = 0.104: token 2 (0.1) goes, 4 (0.15) stays.
        assertThat(drawn(params(1, 0, 1, 0.26, 5), logits, 3000)).containsExactlyInAnyOrder(1, 3, 4);
        assertThat(drawn(params(1, 0, 1, 0.24, 5), logits, 3000)).containsExactlyInAnyOrder(1, 3, 4, 2);
    }

    @Test
    void sameSeedGivesTheSameSequenceAndAnotherSeedAnother() {
        Random rnd = new Random(11);
        float[] logits = new float[5000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) rnd.nextGaussian() * 2;
        }
        for (SamplingParams p : List.of(params(1, 0, 1, 0, 42), params(0.8, 40, 0.9, 0.05, 42),
                params(1, 0, 0.95, 0, 42))) {
            int[] a = sequence(p, logits, 50);
            int[] b = sequence(p, logits, 50);
            assertThat(a).isEqualTo(b);
            SamplingParams other = new SamplingParams(p.temperature(), p.topK(), p.topP(), p.minP(), 1, 0, 0, 43, 16,
                    List.of());
            assertThat(sequence(other, logits, 50)).isNotEqualTo(a);
        }
    }

    private static int[] sequence(SamplingParams p, float[] logits, int n) {
        TokenSampler sampler = new TokenSampler(p);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = sampler.next(logits.clone(), NO_HISTORY, 0);
        }
        return out;
    }

    @Test
    void temperatureTowardsZeroEqualsGreedy() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            float[] logits = new float[2000];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) rnd.nextGaussian() * 3;
            }
            int greedy = new TokenSampler(SamplingParams.greedy(1)).next(logits.clone(), NO_HISTORY, 0);
            for (SamplingParams p : List.of(params(1e-4, 0, 1, 0, trial), params(1e-4, 50, 0.9, 0, trial),
                    params(1e-4, 0, 0.5, 0, trial))) {
                assertThat(new TokenSampler(p).next(logits.clone(), NO_HISTORY, 0)).isEqualTo(greedy);
            }
        }
    }

    @Test
    void repetitionPenaltyChangesTheArgmaxAsComputedByHand() {
        // 0: 2.0 seen -> 2.0 / 1.5 = 1.333; 1: 1.5 unseen stays -> new argmax 1.
        float[] logits = {2.0f, 1.5f, -1f, 0.5f};
        SamplingParams p = new SamplingParams(0, 0, 1, 0, 1.5, 0, 0, 0, 4, List.of());
        float[] penalised = logits.clone();
        assertThat(new TokenSampler(p).next(penalised, new int[] {0, 2, 0, 99}, 3)).isEqualTo(1);
        assertThat(penalised).containsExactly(2.0f / 1.5f, 1.5f, -1.5f, 0.5f);
    }

    @Test
    void frequencyAndPresencePenaltiesSubtractAsOpenAiDefines() {
        // token 0 seen 3 times, token 1 once: 0 -> 3.0 - 3*0.4 - 0.5 = 1.3; 1 -> 2.5 - 0.4 - 0.5 = 1.6; 2 -> 1.5.
        float[] logits = {3.0f, 2.5f, 1.5f};
        SamplingParams p = new SamplingParams(0, 0, 1, 0, 1, 0.4, 0.5, 0, 4, List.of());
        float[] penalised = logits.clone();
        assertThat(new TokenSampler(p).next(penalised, new int[] {0, 1, 0, 0}, 4)).isEqualTo(1);
        assertThat(penalised[0]).isCloseTo(1.3f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(penalised[1]).isCloseTo(1.6f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(penalised[2]).isEqualTo(1.5f);
    }

    @Test
    void historyOutsideTheVocabularyIsRejected() {
        SamplingParams p = new SamplingParams(0, 0, 1, 0, 1.2, 0, 0, 0, 4, List.of());
        assertThatThrownBy(() -> new TokenSampler(p).next(new float[3], new int[] {5}, 1))
                .hasMessageContaining("history[0] = 5");
    }

    @Test
    void empiricalFrequenciesMatchTheSoftmax() {
        double[] probabilities = {0.5, 0.2, 0.15, 0.1, 0.05};
        float[] logits = logitsOf(probabilities);
        for (SamplingParams p : List.of(params(1, 0, 1, 0, 2024), params(1, 5, 1, 0, 2024),
                params(1, 0, 0.999999, 0, 2024))) {
            assertChiSquare(p, logits, probabilities);
        }
        // Temperature 2 on these logits: p_i^(1/2), renormalised.
        double[] tempered = new double[probabilities.length];
        double z = 0;
        for (int i = 0; i < tempered.length; i++) {
            tempered[i] = Math.sqrt(probabilities[i]);
            z += tempered[i];
        }
        for (int i = 0; i < tempered.length; i++) {
            tempered[i] /= z;
        }
        assertChiSquare(params(2, 0, 1, 0, 99), logits, tempered);
        // Top-3 renormalised: 0.5, 0.2, 0.15 over 0.85.
        assertChiSquare(params(1, 3, 1, 0, 5), logits, new double[] {0.5 / 0.85, 0.2 / 0.85, 0.15 / 0.85, 0, 0});
    }

    private static void assertChiSquare(SamplingParams p, float[] logits, double[] expected) {
        int draws = 20_000;
        int[] counts = new int[expected.length];
        TokenSampler sampler = new TokenSampler(p);
        for (int i = 0; i < draws; i++) {
            counts[sampler.next(logits.clone(), NO_HISTORY, 0)]++;
        }
        double chi2 = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == 0) {
                assertThat(counts[i]).as("token %d must never be drawn", i).isZero();
                continue;
            }
            double e = expected[i] * draws;
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
        }
        // 4 degrees of freedom: P(chi2 > 18.47) = 0.001.
        assertThat(chi2).as("chi-square of %s", java.util.Arrays.toString(counts)).isLessThan(18.47);
    }

    @Test
    void keysOrderByLogitThenLowerIdIncludingNegativeLogits() {
        assertThat(TokenSampler.encode(-1f, 0)).isLessThan(TokenSampler.encode(-0.5f, 0));
        assertThat(TokenSampler.encode(-0.5f, 0)).isLessThan(TokenSampler.encode(0f, 9));
        assertThat(TokenSampler.encode(2f, 3)).isGreaterThan(TokenSampler.encode(2f, 4));
        assertThat(TokenSampler.encode(-0f, 3)).isEqualTo(TokenSampler.encode(0f, 3));
        assertThat(TokenSampler.decodeIndex(TokenSampler.encode(-3.5f, 151_935))).isEqualTo(151_935);
    }
}
