package dev.groundwork.api.eval;

import java.util.List;

/**
 * One line of an evaluation dataset (JSONL).
 *
 * @param id stable question id
 * @param question the question
 * @param goldDocuments source paths (or document ids) of the documents that answer it; at least one
 * @param referenceAnswer the expected answer, or {@code null}
 * @param answerAliases other accepted answers (may be empty)
 */
public record EvalQuestion(String id, String question, List<String> goldDocuments, String referenceAnswer,
        List<String> answerAliases) {

    public EvalQuestion {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank");
        }
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("question " + id + ": question must not be blank");
        }
        if (goldDocuments == null || goldDocuments.isEmpty()) {
            throw new IllegalArgumentException("question " + id + ": gold_documents must not be empty");
        }
        goldDocuments = List.copyOf(goldDocuments);
        answerAliases = answerAliases == null ? List.of() : List.copyOf(answerAliases);
    }
}
