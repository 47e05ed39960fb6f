package dev.groundwork.api.ask;

import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.List;

/**
 * Writes an answer to a question from retrieved passages, citing them with {@code [n]} markers. Retrieval is
 * not its business: it sees only the passages it is given, best first, and must not claim anything they do not
 * support (with no support it says so, with no citations).
 *
 * <p>Implementations: {@link ExtractiveAnswerer} (quotes sentences) and {@link LlmAnswerer} (a local language
 * model). Answerers that write token by token override the streaming {@link #answer(String, List, AnswerListener)};
 * the others get a default that delivers the whole answer as one piece. Implementations are thread-safe.
 */
public interface Answerer {

    /** A short stable name reported to clients, e.g. {@code extractive}. */
    String name();

    /**
     * @param question the user's question, non-blank
     * @param passages retrieved passages, best first; may be empty
     * @return the answer; its citations are numbered 1..m in order of first use and name only passages it cites
     */
    Answer answer(String question, List<ScoredChunk> passages);

    /**
     * Answers while reporting the text as it is written. The pieces carry the answerer's raw markers; the returned
     * answer is final (markers may be renumbered). When {@code listener} returns {@code false} the answerer stops
     * as soon as it can and returns what it has. The default writes the whole answer as one piece.
     */
    default Answer answer(String question, List<ScoredChunk> passages, AnswerListener listener) {
        Answer answer = answer(question, passages);
        listener.onText(answer.text());
        return answer;
    }

    /**
     * Answers a question that follows earlier turns of a conversation. The history is context for understanding
     * the question, never a source: claims still come from the passages only. The default ignores the history
     * (the passages were already retrieved with it in mind); answerers that converse, like {@link LlmAnswerer},
     * override this.
     *
     * @param history earlier turns, oldest first; may be empty
     */
    default Answer answer(String question, List<ConversationTurn> history, List<ScoredChunk> passages,
            AnswerListener listener) {
        return answer(question, passages, listener);
    }
}
