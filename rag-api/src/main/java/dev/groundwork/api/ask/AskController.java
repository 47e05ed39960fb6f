package dev.groundwork.api.ask;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/ask}: a question in, a cited answer out. Errors are RFC 9457 problems. */
@RestController
@RequestMapping("/api/ask")
public class AskController {

    private final AskService service;

    public AskController(AskService service) {
        this.service = service;
    }

    @PostMapping
    public AskResponse ask(@RequestBody AskRequest request) {
        return service.ask(request);
    }
}
