package dev.groundwork.api.eval;

import dev.groundwork.model.llm.Generation;
import dev.groundwork.model.llm.GenerationListener;
import dev.groundwork.model.llm.TextGenerator;
import dev.groundwork.model.sample.SamplingParams;
import dev.groundwork.model.template.ChatMessage;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local language model as judge of answers, with fixed rubric prompts so that scores are comparable between
 * runs: <b>faithfulness</b> (is every statement of the answer supported by the passages it cites?) and
 * <b>relevance</b> (does the answer address the question?). The model is asked for one JSON object
 * {@code {"score": 1-5, "reason": "..."}} and decodes greedily. Its raw output is kept in the verdict; output that
 * holds no readable score becomes an {@code unparseable} verdict and a failing model an {@code error} one, never an
 * exception. Thread-safe (the generator serialises generations).
 */
public final class AnswerJudge {

    static final String FAITHFULNESS_RUBRIC = """
            You are a strict grader. You check whether an ANSWER is supported by the PASSAGES it cites.
            Score 5: every statement of the answer is stated in or directly follows from the passages.
            Score 4: all main statements are supported; a minor detail is not.
            Score 3: some statements are supported and some are not.
            Score 2: most statements are not supported by the passages.
            Score 1: the answer contradicts the passages or none of it is supported.
            Judge only support by the passages, not whether the answer is true elsewhere.
            Reply with one JSON object and nothing else: {"score": <1-5>, "reason": "<one sentence>"}""";

    static final String RELEVANCE_RUBRIC = """
            You are a strict grader. You check whether an ANSWER addresses the QUESTION.
            Score 5: it answers the question directly and completely.
            Score 4: it answers the question with minor omissions or some unneeded text.
            Score 3: it partly answers the question.
            Score 2: it is mostly about something else.
            Score 1: it does not answer the question at all (a refusal to answer scores 1).
            Do not judge whether the answer is correct, only whether it addresses the question.
            Reply with one JSON object and nothing else: {"score": <1-5>, "reason": "<one sentence>"}""";

    private static final Pattern JSON_OBJECT = Pattern.compile("\\{[^{}]*}");
    private static final Pattern LOOSE_SCORE = Pattern.compile("(?i)\"?score\"?\\s*[:=]\\s*\"?([1-5])(?![0-9.])");
    private static final JsonMapper JSON = JsonMapper.shared();

    private final TextGenerator model;
    private final SamplingParams sampling;

    /** @param model the judge; not closed by this class */
    public AnswerJudge(TextGenerator model) {
        this(model, 200);
    }

    public AnswerJudge(TextGenerator model, int maxNewTokens) {
        this.model = model;
        this.sampling = SamplingParams.greedy(maxNewTokens);
    }

    public String modelId() {
        return model.modelId();
    }

    /**
     * @param citedPassages texts of the passages the answer cites, numbered as in the answer (1 first)
     */
    public JudgeVerdict faithfulness(String answer, List<String> citedPassages) {
        if (citedPassages.isEmpty()) {
            return JudgeVerdict.skipped("the answer cites no passage");
        }
        StringBuilder user = new StringBuilder("PASSAGES:\n");
        for (int i = 0; i < citedPassages.size(); i++) {
            user.append('[').append(i + 1).append("] ").append(citedPassages.get(i).strip()).append("\n\n");
        }
        user.append("ANSWER:\n").append(answer.strip());
        return judge(FAITHFULNESS_RUBRIC, user.toString());
    }

    public JudgeVerdict relevance(String question, String answer) {
        return judge(RELEVANCE_RUBRIC, "QUESTION:\n" + question.strip() + "\n\nANSWER:\n" + answer.strip());
    }

    private JudgeVerdict judge(String rubric, String user) {
        String raw;
        try {
            String prompt = model.renderChat(List.of(ChatMessage.system(rubric), ChatMessage.user(user)), true);
            Generation generation = model.generate(prompt, sampling, GenerationListener.NONE);
            raw = generation.text();
        } catch (RuntimeException e) {
            return new JudgeVerdict(null, "judge failed: " + e.getMessage(), null, "error");
        }
        return parse(raw);
    }

    /** Reads {@code {"score": n, "reason": "..."}} from anywhere in the output; falls back to a loose "score: n". */
    static JudgeVerdict parse(String raw) {
        Matcher object = JSON_OBJECT.matcher(raw);
        while (object.find()) {
            try {
                JsonNode node = JSON.readTree(object.group());
                JsonNode score = node.get("score");
                if (score != null && (score.isIntegralNumber() || score.isString())) {
                    int value = Integer.parseInt(score.asString().strip());
                    if (value >= 1 && value <= 5) {
                        return new JudgeVerdict(value, node.path("reason").asString(""), raw, "ok");
                    }
                }
            } catch (JacksonException | NumberFormatException e) {
                // not this object; try the next one, then the loose form
            }
        }
        Matcher loose = LOOSE_SCORE.matcher(raw);
        if (loose.find()) {
            return new JudgeVerdict(Integer.parseInt(loose.group(1)), "", raw, "ok");
        }
        return new JudgeVerdict(null, "no score in the judge's output", raw, "unparseable");
    }
}
