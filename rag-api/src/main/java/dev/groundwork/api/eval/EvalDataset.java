package dev.groundwork.api.eval;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes evaluation datasets in JSONL: one object per line with {@code id}, {@code question},
 * {@code gold_documents} and optionally {@code reference_answer} and {@code answer_aliases}.
 */
public final class EvalDataset {

    private static final JsonMapper JSON = JsonMapper.shared();

    private EvalDataset() {
    }

    /**
     * @throws IllegalArgumentException naming the file and line of the first malformed entry
     */
    public static List<EvalQuestion> read(Path file) throws IOException {
        List<EvalQuestion> questions = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    questions.add(parse(JSON.readTree(line)));
                } catch (JacksonException | IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + lineNumber + ": " + e.getMessage(), e);
                }
            }
        }
        return questions;
    }

    /**
     * Reads questions from text that is either a JSON array of question objects or JSONL (one object a line).
     *
     * @param name what the text is called in error messages (e.g. {@code body})
     * @throws IllegalArgumentException naming the entry (array index from 0, or line from 1) and the reason
     */
    public static List<EvalQuestion> parse(String text, String name) {
        List<EvalQuestion> questions = new ArrayList<>();
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.startsWith("[")) {
            JsonNode array;
            try {
                array = JSON.readTree(trimmed);
            } catch (JacksonException e) {
                throw new IllegalArgumentException(name + " is not a valid JSON array: " + e.getOriginalMessage(), e);
            }
            for (int i = 0; i < array.size(); i++) {
                try {
                    questions.add(parse(array.get(i)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + " entry " + i + ": " + e.getMessage(), e);
                }
            }
            return questions;
        }
        String[] lines = trimmed.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                questions.add(parse(JSON.readTree(lines[i])));
            } catch (JacksonException e) {
                throw new IllegalArgumentException(name + " line " + (i + 1) + ": not valid JSON: "
                        + e.getOriginalMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return questions;
    }

    public static void write(Path file, List<EvalQuestion> questions) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (EvalQuestion q : questions) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("id", q.id());
                line.put("question", q.question());
                line.put("gold_documents", q.goldDocuments());
                if (q.referenceAnswer() != null) {
                    line.put("reference_answer", q.referenceAnswer());
                }
                if (!q.answerAliases().isEmpty()) {
                    line.put("answer_aliases", q.answerAliases());
                }
                out.write(JSON.writeValueAsString(line));
                out.newLine();
            }
        }
    }

    private static EvalQuestion parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return new EvalQuestion(text(node, "id"), text(node, "question"), strings(node, "gold_documents"),
                node.hasNonNull("reference_answer") ? node.get("reference_answer").asString() : null,
                strings(node, "answer_aliases"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value.asString();
    }

    private static List<String> strings(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("field '" + field + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        value.forEach(v -> out.add(v.asString()));
        return out;
    }
}
