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
 * beans, so another {@link Answerer} changes nothing here. Thread-safe.
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
     * @throws InvalidFieldException if the question is blank or too long, or {@code topK} is out of range
     * @throws NotFoundException if a collection is named that holds no document
     */
    public AskResponse ask(AskRequest request) {
        long start = System.nanoTime();
        String question = rules.question("question", request.question());
        int topK = rules.count("topK", request.topK(), properties.defaultTopK());
        String collection = rules.collection(request.collection());

        long retrieveStart = System.nanoTime();
        List<ScoredChunk> passages = retriever.retrieve(new RetrievalQuery(question, collection, topK));
        long answerStart = System.nanoTime();
        Answer answer = answerer.answer(question, passages);
        long end = System.nanoTime();

        return new AskResponse(answer.text(), answer.answerer(), answer.citations(), new AskResponse.Timings(
                millis(answerStart - retrieveStart), millis(end - answerStart), millis(end - start)));
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
