package dev.groundwork.api.ask;

import dev.groundwork.api.InvalidFieldException;
import dev.groundwork.api.NotFoundException;
import dev.groundwork.api.QueryRules;
import dev.groundwork.api.config.RagProperties;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Answers a question: validate → retrieve → answer, timing each step. Retrieval and answering are independent
 * beans, so another {@link Answerer} changes nothing here. Validation is a separate step so that the streaming
 * endpoint can reject a bad request with a plain problem response before it starts streaming. Thread-safe.
 */
@Service
public class AskService {

    private final Retriever retriever;
    private final Answerer answerer;
    private final QueryRules rules;
    private final RagProperties properties;

    public AskService(Retriever retriever, Answerer answerer, QueryRules rules, RagProperties properties) {
        this.retriever = retriever;
        this.answerer = answerer;
        this.rules = rules;
        this.properties = properties;
    }

    /**
     * A request that passed validation.
     *
     * @param question the question, stripped
     * @param collection the collection to search, or {@code null} for all
     * @param topK passages to retrieve
     * @param receivedNanos {@link System#nanoTime()} when the request arrived
     */
    public record ValidQuestion(String question, String collection, int topK, long receivedNanos) {
    }

    /** Validates, retrieves and answers. */
    public AskResponse ask(AskRequest request) {
        return answer(validate(request), AnswerListener.NONE);
    }

    /**
     * @throws InvalidFieldException if the question is blank or too long, or {@code topK} is out of range
     * @throws NotFoundException if a collection is named that holds no document
     */
    public ValidQuestion validate(AskRequest request) {
        long start = System.nanoTime();
        String question = rules.question("question", request.question());
        int topK = rules.count("topK", request.topK(), properties.defaultTopK());
        String collection = rules.collection(request.collection());
        return new ValidQuestion(question, collection, topK, start);
    }

    /** Retrieves passages and answers from them, reporting the answer's text to {@code listener} as written. */
    public AskResponse answer(ValidQuestion request, AnswerListener listener) {
        long retrieveStart = System.nanoTime();
        List<ScoredChunk> passages = retriever.retrieve(
                new RetrievalQuery(request.question(), request.collection(), request.topK()));
        long answerStart = System.nanoTime();
        Answer answer = answerer.answer(request.question(), passages, listener);
        long end = System.nanoTime();

        return new AskResponse(answer.text(), answer.answerer(), answer.citations(), answer.danglingMarkers(),
                answer.context(), new AskResponse.Timings(millis(answerStart - retrieveStart),
                        millis(end - answerStart), millis(end - request.receivedNanos())));
    }

    static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
