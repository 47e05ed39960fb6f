package dev.groundwork.api.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;

/**
 * A web slice with every controller and the error handler, over {@link ApiTestBeans}. Small limits make the
 * 400 and 413 paths cheap to reach: questions up to 200 characters, uploads up to 1 KB, at most 20 results.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WebMvcTest(properties = {"rag.data-dir=target/unused-data", "rag.max-question-chars=200",
        "rag.max-upload-size=1KB", "rag.max-top-k=20"})
@Import(ApiTestBeans.class)
public @interface ApiTest {
}
