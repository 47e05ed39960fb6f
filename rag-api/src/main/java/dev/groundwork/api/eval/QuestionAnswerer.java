package dev.groundwork.api.eval;

import dev.groundwork.api.ask.Answer;
import dev.groundwork.api.ask.Answerer;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.List;

/**
 * Answers one evaluation question the way {@code POST /api/ask} does (retrieve, then answer), but also hands back
 * the passages, because citation metrics need the full text of what was cited. Implementations are thread-safe
 * when their retriever and answerer are.
 */
@FunctionalInterface
public interface QuestionAnswerer {

    /** An answer with the passages it was written from. */
    record Answered(Answer answer, List<ScoredChunk> passages) {

        public Answered {
            passages = List.copyOf(passages);
        }
    }

    /**
     * @param collection the collection to search, or {@code null} for all
     */
    Answered answer(String question, String collection);

    /** The service's own path: the configured retriever's top {@code topK} passages, then the answerer. */
    static QuestionAnswerer of(Retriever retriever, Answerer answerer, int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be >= 1, was " + topK);
        }
        return (question, collection) -> {
            List<ScoredChunk> passages = retriever.retrieve(new RetrievalQuery(question, collection, topK));
            return new Answered(answerer.answer(question, passages), passages);
        };
    }
}
