package dev.groundwork.api;

import dev.groundwork.api.config.RagProperties;
import dev.groundwork.ingest.index.DocumentIndex;
import org.springframework.stereotype.Component;

/**
 * The checks that {@code /api/ask} and {@code /api/search} share, against the configured limits. Each failure names
 * the request field (the JSON property or query parameter) it is about. Thread-safe.
 */
@Component
public class QueryRules {

    private final RagProperties properties;
    private final DocumentIndex index;

    public QueryRules(RagProperties properties, DocumentIndex index) {
        this.properties = properties;
        this.index = index;
    }

    /** @return the question, stripped; rejects a blank one or one over {@code rag.max-question-chars} */
    public String question(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidFieldException(field, field + " must not be empty");
        }
        String question = value.strip();
        if (question.length() > properties.maxQuestionChars()) {
            throw new InvalidFieldException(field, field + " has " + question.length()
                    + " characters, more than the limit of " + properties.maxQuestionChars());
        }
        return question;
    }

    /** The most results one request may ask for ({@code rag.max-top-k}). */
    public int maxCount() {
        return properties.maxTopK();
    }

    /** @return {@code value}, or {@code fallback} when absent; rejects values outside 1..{@code rag.max-top-k} */
    public int count(String field, Integer value, int fallback) {
        int count = value == null ? fallback : value;
        if (count < 1 || count > properties.maxTopK()) {
            throw new InvalidFieldException(field, field + " must be between 1 and " + properties.maxTopK()
                    + ", was " + count);
        }
        return count;
    }

    /**
     * @return the collection to search, or {@code null} (all collections) when none is named
     * @throws NotFoundException if it names a collection that holds no document
     */
    public String collection(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String collection = value.strip();
        if (!index.collections().contains(collection)) {
            throw NotFoundException.collection(collection);
        }
        return collection;
    }
}
