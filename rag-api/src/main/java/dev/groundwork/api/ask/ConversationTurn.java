package dev.groundwork.api.ask;

/**
 * An earlier turn of the conversation a question belongs to, as the client showed it. Deliberately lenient, like
 * {@link AskRequest}: {@link AskService} checks each turn against the limits so that a rejection names its field
 * ({@code history[2].answer}).
 *
 * @param question what the user asked
 * @param answer the answer's text as the user saw it (its {@code [n]} markers pointed to that turn's passages)
 */
public record ConversationTurn(String question, String answer) {
}
