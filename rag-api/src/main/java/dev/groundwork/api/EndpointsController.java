package dev.groundwork.api;

import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api}: what this service offers, for someone who points curl at it. {@code GET /} is the web chat
 * ({@code static/index.html}), which links here.
 */
@RestController
public class EndpointsController {

    /**
     * One endpoint.
     *
     * @param method HTTP method
     * @param path path with its parameters
     * @param description what it does
     */
    public record Endpoint(String method, String path, String description) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/", "the web chat: ask, read the cited passages, manage documents"),
            new Endpoint("POST", "/api/ask", "answer a question with citations: {question, collection?, topK?, "
                    + "history?: [{question, answer}] (earlier turns, oldest first)}"),
            new Endpoint("POST", "/api/ask/stream",
                    "the same answer as server-sent events: token..., answer, citations, done (or error)"),
            new Endpoint("GET", "/api/search?q=&collection=&k=", "ranked passages with their BM25 and vector ranks"),
            new Endpoint("GET", "/api/documents?collection=", "indexed documents"),
            new Endpoint("POST", "/api/documents", "upload files (multipart 'files', optional 'collection')"),
            new Endpoint("DELETE", "/api/documents/{id}", "remove a document"),
            new Endpoint("POST", "/api/eval/{collection}",
                    "evaluate retrieval (and answers with answers=true) on a JSONL or JSON array of questions"));

    @GetMapping("/api")
    public Map<String, Object> endpoints() {
        return Map.of("service", "groundwork", "endpoints", ENDPOINTS);
    }
}
