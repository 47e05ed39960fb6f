package dev.groundwork.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.api.ask.FewShotExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class FewShotExamplesTest {

    @TempDir
    Path dir;

    private static RagProperties.Answering settings(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("rag.answer", RagProperties.Answering.class);
    }

    @Test
    void readsJsonAndYamlToTheSameExamples() throws Exception {
        Path json = Files.writeString(dir.resolve("examples.json"), """
                [{"question": "Q one?", "answer": "A one [2].",
                  "passages": [{"title": "T1", "text": "X1."},
                               {"title": "T2", "headingPath": "H > I", "page": 4, "text": "X2."}]}]
                """);
        Path yaml = Files.writeString(dir.resolve("examples.yml"), """
                - question: Q one?
                  answer: A one [2].
                  passages:
                    - title: T1
                      text: X1.
                    - {title: T2, headingPath: H > I, page: 4, text: X2.}
                """);

        List<FewShotExample> fromJson = FewShotExamples.read(json);

        assertThat(fromJson).containsExactly(new FewShotExample("Q one?", List.of(
                new FewShotExample.Passage("T1", "", null, "X1."),
                new FewShotExample.Passage("T2", "H > I", 4, "X2.")), "A one [2]."));
        assertThat(FewShotExamples.read(yaml)).isEqualTo(fromJson);
    }

    @Test
    void theFilesExamplesComeFirstThenThePropertiesAndTheBuiltInOnlyWhenNoneIsGiven() throws Exception {
        Path json = Files.writeString(dir.resolve("e.json"),
                "[{\"question\": \"From file?\", \"answer\": \"Yes [1].\", \"passages\": [{\"title\": \"T\", \"text\": \"X\"}]}]");
        List<FewShotExample> both = FewShotExamples.of(settings(Map.of("rag.answer.few-shot-file", json.toString(),
                "rag.answer.few-shot[0].question", "From properties?", "rag.answer.few-shot[0].answer", "Yes.",
                "rag.answer.few-shot[0].passages[0].title", "T", "rag.answer.few-shot[0].passages[0].text", "X")));

        assertThat(both).extracting(FewShotExample::question).containsExactly("From file?", "From properties?");
        assertThat(FewShotExamples.of(settings(Map.of()))).containsExactly(FewShotExample.builtIn());
        assertThat(FewShotExamples.of(settings(Map.of("rag.answer.built-in-example", "false")))).isEmpty();
    }

    @Test
    void unreadableOrMalformedFilesAreNamedWithTheReason() throws Exception {
        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> FewShotExamples.read(missing))
                .hasMessageContaining("rag.answer.few-shot-file " + missing).hasMessageContaining("cannot be read");
        Path notAList = Files.writeString(dir.resolve("x.json"), "{\"question\": \"Q\"}");
        assertThatThrownBy(() -> FewShotExamples.read(notAList))
                .hasMessageContaining("rag.answer.few-shot-file " + notAList).hasMessageContaining("does not hold");
        Path empty = Files.writeString(dir.resolve("e.json"), "[]");
        assertThatThrownBy(() -> FewShotExamples.read(empty)).hasMessageContaining("holds no example");
        Path noTitle = Files.writeString(dir.resolve("t.yaml"), "- {question: Q, answer: A, passages: [{text: X}]}");
        assertThatThrownBy(() -> FewShotExamples.read(noTitle)).hasMessageContaining("passage title must not be blank");
    }
}
