package dev.groundwork.model.sample;

/**
 * Repetition, frequency and presence penalties on a logits vector, given the tokens seen so far.
 *
 * <p>Repetition is CTRL-style as Hugging Face's {@code RepetitionPenaltyLogitsProcessor} applies it: once per
 * distinct seen token, a positive logit is divided by the penalty and a negative one multiplied. Frequency and
 * presence are OpenAI's: {@code logit -= count * frequency + (count > 0 ? presence : 0)}. Not thread-safe: it
 * keeps a count buffer of vocabulary size, cleared after each use by touching only the seen entries.
 */
final class Penalties {

    private final float repetition;
    private final float frequency;
    private final float presence;
    private int[] counts = new int[0];

    Penalties(double repetition, double frequency, double presence) {
        this.repetition = (float) repetition;
        this.frequency = (float) frequency;
        this.presence = (float) presence;
    }

    boolean enabled() {
        return repetition != 1f || frequency != 0f || presence != 0f;
    }

    void apply(float[] logits, int[] history, int length) {
        if (!enabled() || length == 0) {
            return;
        }
        if (counts.length < logits.length) {
            counts = new int[logits.length];
        }
        for (int i = 0; i < length; i++) {
            int token = history[i];
            if (token < 0 || token >= logits.length) {
                throw new IllegalArgumentException("history[" + i + "] = " + token + " is outside the vocabulary of "
                        + logits.length);
            }
            counts[token]++;
        }
        for (int i = 0; i < length; i++) {
            int token = history[i];
            int count = counts[token];
            if (count == 0) {
                continue; // already penalised: each distinct token once
            }
            float logit = logits[token];
            if (repetition != 1f) {
                logit = logit > 0 ? logit / repetition : logit * repetition;
            }
            logit -= count * frequency + presence;
            logits[token] = logit;
            counts[token] = 0;
        }
    }
}
