package dev.groundwork.api.ask;

import dev.groundwork.api.InvalidFieldException;
import dev.groundwork.api.NotFoundException;
import dev.groundwork.api.QueryRules;
import dev.groundwork.api.config.RagProperties;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Answers a question: validate → retrieve → answer, timing each step. Retrieval and answering are independent
 * beans, so another {@link Answerer} changes nothing here. A follow-up question (one with history) is retrieved by
 * {@link FollowUpRetrieval} and answered with the last {@code rag.answer.history-turns} turns. Validation is a
 * separate step so that the streaming endpoint can reject a bad request with a plain problem response before it
 * starts streaming. Thread-safe.
 */
@Service
public class AskService {

    /** The most earlier turns one request may send. */
    public static final int MAX_HISTORY_TURNS = 20;
    /** The longest earlier answer one request may send. */
    public static final int MAX_HISTORY_ANSWER_CHARS = 4000;

    private final FollowUpRetrieval retrieval;
    private final Answerer answerer;
    private final QueryRules rules;
    private final RagProperties properties;

    public AskService(Retriever retriever, Answerer answerer, QueryRules rules, RagProperties properties) {
        this.retrieval = new FollowUpRetrieval(retriever, properties.retrieval().rrfK(),
                properties.retrieval().candidates());
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
     * @param history the earlier turns that count (the last {@code rag.answer.history-turns}), oldest first,
     *     stripped; empty for a question on its own
     */
    public record ValidQuestion(String question, String collection, int topK, long receivedNanos,
            List<ConversationTurn> history) {

        public ValidQuestion {
            history = List.copyOf(history);
        }
    }

    /** Validates, retrieves and answers. */
    public AskResponse ask(AskRequest request) {
        return answer(validate(request), AnswerListener.NONE);
    }

    /**
     * @throws InvalidFieldException if the question is blank or too long, {@code topK} is out of range, or the
     *     history has more than {@value #MAX_HISTORY_TURNS} turns or a bad one (named like {@code history[2].answer})
     * @throws NotFoundException if a collection is named that holds no document
     */
    public ValidQuestion validate(AskRequest request) {
        long start = System.nanoTime();
        String question = rules.question("question", request.question());
        int topK = rules.count("topK", request.topK(), properties.defaultTopK());
        List<ConversationTurn> history = history(request.history());
        String collection = rules.collection(request.collection());
        return new ValidQuestion(question, collection, topK, start, history);
    }

    /** Checks every turn sent, keeps the last ones that count. */
    private List<ConversationTurn> history(List<ConversationTurn> turns) {
        if (turns == null || turns.isEmpty()) {
            return List.of();
        }
        if (turns.size() > MAX_HISTORY_TURNS) {
            throw new InvalidFieldException("history", "history has " + turns.size()
                    + " turns, more than the limit of " + MAX_HISTORY_TURNS);
        }
        List<ConversationTurn> valid = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            String field = "history[" + i + "]";
            ConversationTurn turn = turns.get(i);
            if (turn == null) {
                throw new InvalidFieldException(field, field + " must be an object with a question and an answer");
            }
            String question = rules.question(field + ".question", turn.question());
            String answer = turn.answer();
            if (answer == null || answer.isBlank()) {
                throw new InvalidFieldException(field + ".answer", field + ".answer must not be empty");
            }
            answer = answer.strip();
            if (answer.length() > MAX_HISTORY_ANSWER_CHARS) {
                throw new InvalidFieldException(field + ".answer", field + ".answer has " + answer.length()
                        + " characters, more than the limit of " + MAX_HISTORY_ANSWER_CHARS);
            }
            valid.add(new ConversationTurn(question, answer));
        }
        int used = properties.answer().historyTurns();
        return List.copyOf(valid.subList(Math.max(0, valid.size() - used), valid.size()));
    }

    /** Retrieves passages and answers from them, reporting the answer's text to {@code listener} as written. */
    public AskResponse answer(ValidQuestion request, AnswerListener listener) {
        long retrieveStart = System.nanoTime();
        List<ScoredChunk> passages = retrieval.retrieve(
                new RetrievalQuery(request.question(), request.collection(), request.topK()), request.history());
        long answerStart = System.nanoTime();
        Answer answer = request.history().isEmpty() ? answerer.answer(request.question(), passages, listener)
                : answerer.answer(request.question(), request.history(), passages, listener);
        long end = System.nanoTime();

        return new AskResponse(answer.text(), answer.answerer(), answer.citations(), answer.danglingMarkers(),
                answer.context(), new AskResponse.Timings(millis(answerStart - retrieveStart),
                        millis(end - answerStart), millis(end - request.receivedNanos())));
    }

    static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
