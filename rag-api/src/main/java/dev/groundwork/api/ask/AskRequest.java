package dev.groundwork.api.ask;

import java.util.List;

/**
 * Body of {@code POST /api/ask}. Deliberately lenient: {@link AskService} checks it against the configured limits
 * so that every rejection names its field.
 *
 * @param question the question
 * @param collection collection to search, or {@code null} for all
 * @param topK passages to retrieve, or {@code null} for the configured default
 * @param history earlier turns of this conversation, oldest first, or {@code null}/empty for a question on its own
 */
public record AskRequest(String question, String collection, Integer topK, List<ConversationTurn> history) {

    /** A question on its own, without a conversation. */
    public AskRequest(String question, String collection, Integer topK) {
        this(question, collection, topK, null);
    }
}
