package dev.groundwork.api.ask;

/**
 * Body of {@code POST /api/ask}. Deliberately lenient: {@link AskService} checks it against the configured limits
 * so that every rejection names its field.
 *
 * @param question the question
 * @param collection collection to search, or {@code null} for all
 * @param topK passages to retrieve, or {@code null} for the configured default
 */
public record AskRequest(String question, String collection, Integer topK) {
}
