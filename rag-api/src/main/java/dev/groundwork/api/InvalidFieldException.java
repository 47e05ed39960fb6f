package dev.groundwork.api;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request field has a bad value: answered as a 400 problem whose {@code field} property names the field and
 * whose {@code errors} list carries {@code {field, message}} (the same shape the other 400s of this API use).
 */
public class InvalidFieldException extends ErrorResponseException {

    private final String field;

    public InvalidFieldException(String field, String message) {
        super(HttpStatus.BAD_REQUEST, problem(field, message), null);
        this.field = field;
    }

    public String field() {
        return field;
    }

    private static ProblemDetail problem(String field, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, message);
        problem.setTitle("Invalid request");
        problem.setProperty("field", field);
        problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
        return problem;
    }
}
