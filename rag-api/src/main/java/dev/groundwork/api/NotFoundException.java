package dev.groundwork.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An unknown collection or document: answered as a 404 problem naming what was not found. */
public class NotFoundException extends ErrorResponseException {

    private NotFoundException(String title, String detail) {
        super(HttpStatus.NOT_FOUND, problem(title, detail), null);
    }

    /** No document of the index belongs to this collection. */
    public static NotFoundException collection(String name) {
        return new NotFoundException("Unknown collection", "collection '" + name + "' does not exist");
    }

    /** No document has this id. */
    public static NotFoundException document(String id) {
        return new NotFoundException("Unknown document", "document '" + id + "' does not exist");
    }

    private static ProblemDetail problem(String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail);
        problem.setTitle(title);
        return problem;
    }
}
