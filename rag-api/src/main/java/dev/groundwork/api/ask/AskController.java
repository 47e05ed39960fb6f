package dev.groundwork.api.ask;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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

    /** Proxies must pass events on as they come: no caching, and no buffering by nginx. */
    @PostMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public ResponseEntity<SseEmitter> stream(@RequestBody AskRequest request) {
        SseEmitter emitter = streamer.stream(service.validate(request));
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("X-Accel-Buffering", "no").body(emitter);
    }
}
