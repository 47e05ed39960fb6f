package dev.groundwork.api.eval;

import dev.groundwork.api.eval.RetrievalEvaluator.ModeResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything one evaluation run measured, with the settings it ran under: what {@code report.json} holds.
 *
 * @param settings how the run was made
 * @param retrieval per retrieval mode, aggregates and per-question scores
 * @param answers answer scores per question and aggregated, or {@code null} when answers were not evaluated
 */
public record EvalReport(Settings settings, List<ModeResult> retrieval, AnswerEvaluator.Result answers) {

    /**
     * @param dataset the dataset file (or {@code request} for the REST endpoint)
     * @param collection the collection searched, {@code null} for all
     * @param questions questions evaluated
     * @param k documents considered by recall/MRR/nDCG (10; recall is also given at 5)
     * @param modes retrieval modes, in order
     * @param answerer the answerer's name ({@code extractive}, {@code llm:<model>}), {@code null} without answers
     * @param answerTopK passages given to the answerer, 0 without answers
     * @param embeddingModel the embedding model's id, {@code null} when unknown
     * @param judgeModel the judge model's id, {@code null} without a judge
     * @param date when the run finished, ISO-8601 UTC
     */
    public record Settings(String dataset, String collection, int questions, int k, List<String> modes,
            String answerer, int answerTopK, String embeddingModel, String judgeModel, String date) {

        public Settings {
            modes = List.copyOf(modes);
        }
    }

    public EvalReport {
        retrieval = List.copyOf(retrieval);
    }

    /** The aggregates without per-question rows (what the REST endpoint returns). */
    public Map<String, Object> aggregated() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("settings", settings);
        out.put("retrieval", retrieval.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", r.mode());
            m.put("questions", r.questions());
            m.put("recallAt5", r.recallAt5());
            m.put("recallAt10", r.recallAt10());
            m.put("k", r.k());
            m.put("recallAtK", r.recallAtK());
            m.put("mrrAt10", r.mrrAt10());
            m.put("ndcgAt10", r.ndcgAt10());
            m.put("latencyP50Ms", r.latencyP50Ms());
            m.put("latencyP95Ms", r.latencyP95Ms());
            return m;
        }).toList());
        out.put("answers", answers == null ? null : answers.summary());
        return out;
    }

    /** Writes {@code report.json} into {@code folder} atomically (a temporary file moved into place). */
    public Path writeJson(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path target = folder.resolve("report.json");
        writeAtomically(target, JsonMapper.shared().writerWithDefaultPrettyPrinter().writeValueAsString(this));
        return target;
    }

    /** Writes {@code text} to a sibling temporary file, then moves it over {@code target}: never half-written. */
    static void writeAtomically(Path target, String text) throws IOException {
        // Not createTempFile: its owner-only permissions would make the report unreadable to others.
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
