package dev.groundwork.api.eval;

/**
 * One judgement by the judge model.
 *
 * @param score 1 (worst) to 5 (best), or {@code null} when the verdict could not be read or no judgement was made
 * @param reason the judge's one-line reason, or why there is no score
 * @param raw the judge's output exactly as generated ({@code null} when the model was not called)
 * @param status {@code ok}, {@code unparseable} (the model answered but not in the asked format), {@code skipped}
 *     (nothing to judge, e.g. an answer without citations for faithfulness) or {@code error} (the model failed)
 */
public record JudgeVerdict(Integer score, String reason, String raw, String status) {

    public JudgeVerdict {
        if (score != null && (score < 1 || score > 5)) {
            throw new IllegalArgumentException("score must be 1..5, was " + score);
        }
        if (status == null || status.isBlank()) {
            throw new IllegalArgumentException("status must not be blank");
        }
    }

    static JudgeVerdict skipped(String reason) {
        return new JudgeVerdict(null, reason, null, "skipped");
    }
}
