package dev.groundwork.api.documents;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * No uploaded file could be ingested: a problem whose {@code results} property still carries the per-file results
 * (415 when every file has an unsupported type, 422 when the files were readable types but all failed).
 */
public class UploadRejectedException extends ErrorResponseException {

    private UploadRejectedException(HttpStatus status, String title, String detail, List<UploadResult> results) {
        super(status, problem(status, title, detail, results), null);
    }

    static UploadRejectedException unsupported(List<UploadResult> results) {
        return new UploadRejectedException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported file type",
                "no uploaded file has a supported type: " + reasons(results), results);
    }

    static UploadRejectedException allFailed(List<UploadResult> results) {
        return new UploadRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "No file could be ingested",
                "every uploaded file failed: " + reasons(results), results);
    }

    private static String reasons(List<UploadResult> results) {
        return String.join("; ", results.stream().map(r -> r.source() + ": " + r.reason()).toList());
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail, List<UploadResult> results) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setProperty("results", List.copyOf(results));
        return problem;
    }
}
