package dev.groundwork.api.config;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.DatabindException;

/**
 * Every error of the API as an RFC 9457 problem ({@code application/problem+json}). Spring's base class already
 * maps its own exceptions and every {@code ErrorResponseException} (ours carry their status and detail); this
 * adds the {@code field} property to request errors that concern one field, and hides unexpected failures
 * behind a 500 problem while logging them.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ex.getBody().setDetail(ex.getParameterName() + " is required");
        withField(ex.getBody(), ex.getParameterName(), ex.getParameterName() + " is required");
        return super.handleMissingServletRequestParameter(ex, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(MissingServletRequestPartException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ex.getBody().setDetail(ex.getRequestPartName() + " is required");
        withField(ex.getBody(), ex.getRequestPartName(), ex.getRequestPartName() + " is required");
        return super.handleMissingServletRequestPart(ex, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String field = ex.getPropertyName();
        String detail = field + " has an invalid value '" + ex.getValue() + "'";
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        withField(body, field, detail);
        return handleExceptionInternal(ex, body, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, "the request body is not valid JSON");
        if (ex.getCause() instanceof DatabindException bad && !bad.getPath().isEmpty()) {
            // Well-formed JSON with a value of the wrong type: say which property.
            String field = bad.getPath().get(bad.getPath().size() - 1).getPropertyName();
            if (field != null) {
                String detail = field + " has a value of the wrong type";
                body.setDetail(detail);
                withField(body, field, detail);
            }
        }
        return handleExceptionInternal(ex, body, headers, status, request);
    }

    /** Anything else is a bug or an outage: log it, tell the client no internals. */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
        if (ex instanceof ErrorResponse known) {
            return handleExceptionInternal(ex, known.getBody(), known.getHeaders(), known.getStatusCode(), request);
        }
        log.error("Request {} failed", request.getDescription(false), ex);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the server could not complete the request; see its log");
        return handleExceptionInternal(ex, body, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    private static void withField(ProblemDetail body, String field, String message) {
        body.setProperty("field", field);
        body.setProperty("errors", List.of(Map.of("field", field, "message", message)));
    }
}
