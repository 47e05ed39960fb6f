package dev.groundwork.api.ask;

import dev.groundwork.api.config.RagProperties;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams an answer as server-sent events, retrieving and answering on the {@code askStreamExecutor} so that no
 * servlet thread waits on the model. Events, each with a JSON payload:
 * <ol>
 *   <li>{@code token} {@code {"text": ...}}: text pieces as the answerer writes them, with its raw markers;</li>
 *   <li>{@code answer} {@code {"text": ...}}: the final text, markers renumbered to match the citations;</li>
 *   <li>{@code citations}: the list of cited passages (ids 1..m);</li>
 *   <li>{@code done} ({@link Summary}): answerer, dangling markers, context, timings.</li>
 * </ol>
 * A failure after streaming started ends the stream with one {@code error} event holding an RFC 9457 problem.
 * When the client goes away (a write fails, or the container reports the connection's error or timeout) the
 * answerer is told to stop: its listener returns {@code false}. Thread-safe.
 */
@Component
public class AnswerStreamer {

    private static final Logger log = LoggerFactory.getLogger(AnswerStreamer.class);

    private final AskService service;
    private final Executor executor;
    private final long timeoutMillis;

    public AnswerStreamer(AskService service, @Qualifier("askStreamExecutor") Executor askStreamExecutor,
            RagProperties properties) {
        this.service = service;
        this.executor = askStreamExecutor;
        this.timeoutMillis = properties.answer().streamTimeout().toMillis();
    }

    /**
     * Payload of the {@code done} event.
     *
     * @param answerer which answerer wrote the answer
     * @param danglingMarkers markers that pointed to no passage, removed from the final text
     * @param context how the passages fitted the model's prompt, or {@code null}
     * @param timings where the time went
     * @param firstTokenMs from the request's arrival to the first text sent
     */
    public record Summary(String answerer, int danglingMarkers, AnswerContext context, AskResponse.Timings timings,
            double firstTokenMs) {
    }

    /**
     * Starts answering a validated question; the emitter receives the events.
     *
     * @throws ErrorResponseException 503 when the executor's queue is full
     */
    public SseEmitter stream(AskService.ValidQuestion question) {
        SseEmitter emitter = new SseEmitter(timeoutMillis);
        AtomicBoolean open = new AtomicBoolean(true);
        emitter.onCompletion(() -> open.set(false));
        emitter.onError(e -> open.set(false));
        emitter.onTimeout(() -> {
            open.set(false);
            emitter.complete();
        });
        try {
            executor.execute(() -> run(question, emitter, open));
        } catch (RejectedExecutionException e) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "too many answers are being streamed at once; try again shortly");
            throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, e);
        }
        return emitter;
    }

    void run(AskService.ValidQuestion question, SseEmitter emitter, AtomicBoolean open) {
        AtomicLong firstText = new AtomicLong();
        try {
            AskResponse response = service.answer(question, piece -> {
                if (!open.get()) {
                    return false;
                }
                if (piece.isEmpty()) {
                    return true;
                }
                firstText.compareAndSet(0, System.nanoTime());
                return send(emitter, open, "token", Map.of("text", piece));
            });
            if (!open.get()) {
                log.info("Client left while an answer was streamed; generation stopped");
                return;
            }
            double firstTokenMs = firstText.get() == 0 ? response.timings().totalMs()
                    : AskService.millis(firstText.get() - question.receivedNanos());
            boolean sent = send(emitter, open, "answer", Map.of("text", response.answer()))
                    && send(emitter, open, "citations", response.citations())
                    && send(emitter, open, "done", new Summary(response.answerer(), response.danglingMarkers(),
                            response.context(), response.timings(), firstTokenMs));
            if (sent) {
                emitter.complete();
            }
        } catch (RuntimeException e) {
            ProblemDetail problem;
            if (e instanceof ErrorResponse known) {
                problem = known.getBody();
            } else {
                log.error("Streaming an answer failed", e);
                problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                        "the server could not complete the answer; see its log");
            }
            if (send(emitter, open, "error", problem)) {
                emitter.complete();
            }
        }
    }

    /** @return whether the event was sent; a failed write means the client is gone */
    private static boolean send(SseEmitter emitter, AtomicBoolean open, String name, Object data) {
        if (!open.get()) {
            return false;
        }
        try {
            emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
            return true;
        } catch (IOException | IllegalStateException e) {
            // IllegalStateException: the emitter was completed meanwhile (timeout, container error).
            open.set(false);
            return false;
        }
    }
}
