package dev.groundwork.api.ask;

import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.List;

/**
 * Writes an answer to a question from retrieved passages, citing them with {@code [n]} markers. Retrieval is
 * not its business: it sees only the passages it is given, best first, and must not claim anything they do not
 * support (with no support it says so, with no citations).
 *
 * <p>Today's implementation is {@link ExtractiveAnswerer}; a local LLM will plug in behind this interface. Such an
 * answerer will stream tokens: a streaming variant will be added as a default method delegating to
 * {@link #answer}, so existing implementations keep working. Implementations are thread-safe.
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
}
