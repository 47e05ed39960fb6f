package dev.groundwork.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.api.ask.FewShotExample;
import dev.groundwork.ingest.chunk.ChunkingOptions;
import dev.groundwork.ingest.retrieve.FusionOptions;
import dev.groundwork.model.llm.LoadOptions;
import dev.groundwork.model.sample.SamplingParams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    void bindsTheModelAndAnswerDefaults() {
        runner.withPropertyValues("rag.data-dir=d").run(context -> {
            RagProperties properties = context.getBean(RagProperties.class);
            assertThat(properties.model().path()).isNull();
            assertThat(properties.model().device()).isEqualTo("auto");
            assertThat(properties.model().cpuWeights()).isEqualTo(LoadOptions.CpuWeights.AUTO);
            RagProperties.Answering answer = properties.answer();
            assertThat(answer.sampling()).isEqualTo(SamplingParams.greedy(512));
            assertThat(answer.fewShotFile()).isNull();
            assertThat(answer.fewShot()).isEmpty();
            assertThat(answer.builtInExample()).isTrue();
            assertThat(answer.systemPrompt()).isNull();
            assertThat(answer.streamTimeout()).isEqualTo(Duration.ofMinutes(5));
            assertThat(answer.streamThreads()).isEqualTo(4);
            assertThat(answer.streamQueue()).isEqualTo(32);
            assertThat(answer.historyTurns()).isEqualTo(3);
        });
    }

    @Test
    void historyTurnsAreBoundAndChecked() {
        runner.withPropertyValues("rag.data-dir=d", "rag.answer.history-turns=0").run(context ->
                assertThat(context.getBean(RagProperties.class).answer().historyTurns()).isZero());
        runner.withPropertyValues("rag.data-dir=d", "rag.answer.history-turns=21").run(context -> assertThat(context)
                .getFailure().has(causeMessage("rag.answer.history-turns must be between 0 and 20")));
    }

    @Test
    void bindsSamplingSettingsAndFewShotExamplesGivenAsProperties() {
        runner.withPropertyValues("rag.data-dir=d", "rag.model.path=models/qwen", "rag.model.device=cuda:0",
                "rag.model.weights=INT8",
                "rag.answer.temperature=0.6", "rag.answer.top-k=40", "rag.answer.top-p=0.9", "rag.answer.min-p=0.05",
                "rag.answer.repetition-penalty=1.1", "rag.answer.seed=7", "rag.answer.max-new-tokens=256",
                "rag.answer.stop[0]=</answer>",
                "rag.answer.few-shot[0].question=How tall is the tower?",
                "rag.answer.few-shot[0].passages[0].title=Tower",
                "rag.answer.few-shot[0].passages[0].page=3",
                "rag.answer.few-shot[0].passages[0].text=The tower is 41 metres tall.",
                "rag.answer.few-shot[0].answer=It is 41 metres tall [1].").run(context -> {
                    RagProperties properties = context.getBean(RagProperties.class);
                    assertThat(properties.model().path()).isEqualTo(Path.of("models/qwen"));
                    assertThat(properties.model().device()).isEqualTo("cuda:0");
                    assertThat(properties.model().cpuWeights()).isEqualTo(LoadOptions.CpuWeights.INT8);
                    assertThat(properties.answer().sampling()).isEqualTo(new SamplingParams(0.6, 40, 0.9, 0.05, 1.1,
                            0, 0, 7, 256, List.of("</answer>")));
                    FewShotExample example = properties.answer().fewShot().get(0);
                    assertThat(example.question()).isEqualTo("How tall is the tower?");
                    assertThat(example.passages()).containsExactly(
                            new FewShotExample.Passage("Tower", "", 3, "The tower is 41 metres tall."));
                    assertThat(example.answer()).isEqualTo("It is 41 metres tall [1].");
                });
    }

    @Test
    void badModelAndAnswerSettingsFailStartupNamingTheProperty() {
        runner.withPropertyValues("rag.data-dir=d", "rag.model.device=tpu")
                .run(context -> assertThat(context).getFailure().has(causeMessage("rag.model.device must be cpu")));
        runner.withPropertyValues("rag.data-dir=d", "rag.model.weights=int4").run(context -> assertThat(context)
                .getFailure().has(causeMessage("rag.model.weights must be auto, fp32, fp16 or int8, was int4")));
        runner.withPropertyValues("rag.data-dir=d", "rag.answer.top-p=0")
                .run(context -> assertThat(context).getFailure().has(causeMessage("rag.answer.*: topP")));
        runner.withPropertyValues("rag.data-dir=d", "rag.answer.max-new-tokens=0")
                .run(context -> assertThat(context).getFailure().has(causeMessage("maxNewTokens must be >= 1")));
        runner.withPropertyValues("rag.data-dir=d", "rag.answer.stream-threads=0")
                .run(context -> assertThat(context).getFailure().has(causeMessage("rag.answer.stream-threads")));
        runner.withPropertyValues("rag.data-dir=d", "rag.answer.few-shot[0].question=Q",
                        "rag.answer.few-shot[0].answer=A [1]")
                .run(context -> assertThat(context).getFailure().has(causeMessage("needs at least one passage")));
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
