package dev.groundwork.api.ask;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code POST /api/ask}: a question in, a cited answer out. {@code POST /api/ask/stream}: the same answer as
 * server-sent events (see {@link AnswerStreamer}). Errors found before streaming starts (a bad request) are RFC 9457
 * problem responses; later ones are an {@code error} event holding the problem.
 */
@RestController
@RequestMapping("/api/ask")
public class AskController {

    private final AskService service;
    private final AnswerStreamer streamer;

    public AskController(AskService service, AnswerStreamer streamer) {
        this.service = service;
        this.streamer = streamer;
    }

    @PostMapping
    public AskResponse ask(@RequestBody AskRequest request) {
        return service.ask(request);
    }

    @PostMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter stream(@RequestBody AskRequest request) {
        return streamer.stream(service.validate(request));
    }
}
