package dev.groundwork.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.ingest.chunk.ChunkingOptions;
import dev.groundwork.ingest.retrieve.FusionOptions;
import java.nio.file.Path;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class RagPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RagProperties.class)
    static class PropertiesOnly {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void bindsTheDocumentedDefaults() {
        runner.withPropertyValues("rag.data-dir=some/dir").run(context -> {
            RagProperties properties = context.getBean(RagProperties.class);
            assertThat(properties.dataDir()).isEqualTo(Path.of("some/dir"));
            assertThat(properties.defaultCollection()).isEqualTo("default");
            assertThat(properties.retrieval().fusionOptions()).isEqualTo(FusionOptions.defaults());
            assertThat(properties.chunking()).isEqualTo(ChunkingOptions.defaults());
            assertThat(properties.maxQuestionChars()).isEqualTo(2000);
            assertThat(properties.defaultTopK()).isEqualTo(5);
            assertThat(properties.maxTopK()).isEqualTo(50);
            assertThat(properties.maxUploadSize()).isEqualTo(DataSize.ofMegabytes(50));
            assertThat(properties.embeddingModel()).isNull();
        });
    }

    @Test
    void bindsKebabCaseSettings() {
        runner.withPropertyValues("rag.data-dir=d", "rag.retrieval.rrf-k=10", "rag.retrieval.vector-weight=0.5",
                "rag.embedding-model=models/bge", "rag.max-upload-size=5MB").run(context -> {
                    RagProperties properties = context.getBean(RagProperties.class);
                    assertThat(properties.retrieval().fusionOptions()).isEqualTo(new FusionOptions(10, 1.0, 0.5, 50));
                    assertThat(properties.embeddingModel()).isEqualTo(Path.of("models/bge"));
                    assertThat(properties.maxUploadSize().toBytes()).isEqualTo(5L * 1024 * 1024);
                });
    }

    @Test
    void aMissingDataDirFailsStartupNamingTheProperty() {
        runner.run(context -> assertThat(context).hasFailed().getFailure()
                .has(causeMessage("rag.data-dir is required")));
    }

    @Test
    void inconsistentSettingsFailStartupNamingTheProperties() {
        runner.withPropertyValues("rag.data-dir=d", "rag.overlap-tokens=150")
                .run(context -> assertThat(context).getFailure().has(causeMessage("rag.overlap-tokens")));
        runner.withPropertyValues("rag.data-dir=d", "rag.default-top-k=60")
                .run(context -> assertThat(context).getFailure().has(causeMessage("rag.max-top-k (50)")));
        runner.withPropertyValues("rag.data-dir=d", "rag.retrieval.candidates=0")
                .run(context -> assertThat(context).getFailure().has(causeMessage("rag.retrieval")));
    }

    @Test
    void multipartLimitsFollowTheUploadLimit() {
        ApplicationContextRunner withApplicationProperties = runner
                .withInitializer(new ConfigDataApplicationContextInitializer());
        withApplicationProperties.withPropertyValues("rag.data-dir=d").run(context -> {
            assertThat(context.getEnvironment().getProperty("spring.servlet.multipart.max-file-size"))
                    .isEqualTo("50MB");
            assertThat(context.getEnvironment().getProperty("spring.mvc.problemdetails.enabled")).isEqualTo("true");
        });
        withApplicationProperties.withPropertyValues("rag.data-dir=d", "rag.max-upload-size=3MB").run(context -> {
            assertThat(context.getEnvironment().getProperty("spring.servlet.multipart.max-file-size")).isEqualTo("3MB");
            assertThat(context.getEnvironment().getProperty("spring.servlet.multipart.max-request-size"))
                    .isEqualTo("3MB");
        });
    }

    private static Condition<Throwable> causeMessage(String text) {
        return new Condition<>(failure -> {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t.getMessage() != null && t.getMessage().contains(text)) {
                    return true;
                }
            }
            return false;
        }, "a cause whose message contains '%s'", text);
    }
}
