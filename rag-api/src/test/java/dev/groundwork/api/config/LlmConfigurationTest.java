package dev.groundwork.api.config;

import dev.groundwork.model.llm.TextGeneratorLoader;
import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.api.QueryRules;
import dev.groundwork.api.ask.Answer;
import dev.groundwork.api.ask.Answerer;
import dev.groundwork.api.ask.AskService;
import dev.groundwork.api.ask.ExtractiveAnswerer;
import dev.groundwork.api.ask.LlmAnswerer;
import dev.groundwork.api.support.ScriptedTextGenerator;
import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.model.llm.LoadOptions;
import dev.groundwork.model.llm.TextGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * How {@link RagConfiguration} chooses the answerer: {@code rag.model.path} loads a model through the
 * {@code textGeneratorLoader} (here a recording fake, replaced by name) and answers with it.
 */
class LlmConfigurationTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path modelDir;

    /** Records what it was asked to load; hands out scripted models. */
    static final class RecordingFactory implements TextGeneratorLoader {
        final List<String> loads = new ArrayList<>();
        final List<ScriptedTextGenerator> loaded = new ArrayList<>();
        final List<LoadOptions.Decoder> decoders = new ArrayList<>();
        final List<LoadOptions.Prefill> prefills = new ArrayList<>();

        @Override
        public TextGenerator load(Path dir, String device) {
            return load(dir, device, LoadOptions.CpuWeights.AUTO);
        }

        @Override
        public TextGenerator load(Path dir, LoadOptions options) {
            decoders.add(options.decoder());
            prefills.add(options.prefill());
            return load(dir, options.device(), options.cpuWeights());
        }

        @Override
        public TextGenerator load(Path dir, String device, LoadOptions.CpuWeights weights) {
            loads.add(dir + " on " + device + " as " + weights);
            ScriptedTextGenerator generator = new ScriptedTextGenerator(4000, "Anvils [1].");
            loaded.add(generator);
            return generator;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FakeRuntime {

        @Bean
        TextGeneratorLoader textGeneratorLoader() {
            return new RecordingFactory();
        }
    }

    private ApplicationContextRunner runner(Class<?>... more) {
        List<Class<?>> configurations = new ArrayList<>(List.of(RagConfiguration.class,
                RagConfigurationTest.NoModel.class, AskService.class, QueryRules.class));
        configurations.addAll(List.of(more));
        return new ApplicationContextRunner()
                .withAllowBeanDefinitionOverriding(true)
                .withUserConfiguration(configurations.toArray(Class<?>[]::new))
                .withPropertyValues("rag.data-dir=" + dataDir);
    }

    @Test
    void withoutAModelPathAnswersStayExtractiveAndNoModelIsLoaded() {
        runner(FakeRuntime.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean(Answerer.class).isInstanceOf(ExtractiveAnswerer.class);
            assertThat(context).doesNotHaveBean(TextGenerator.class);
            assertThat(((RecordingFactory) context.getBean(TextGeneratorLoader.class)).loads).isEmpty();
            assertThat(context).getBean("askStreamExecutor").isInstanceOf(ThreadPoolTaskExecutor.class);
        });
    }

    @Test
    void aModelPathLoadsTheModelOnTheDeviceAndAnswersWithIt() {
        RecordingFactory[] factory = new RecordingFactory[1];
        runner(FakeRuntime.class)
                .withPropertyValues("rag.model.path=" + modelDir, "rag.model.device=cuda:1", "rag.model.weights=int8",
                        "rag.answer.max-new-tokens=64", "rag.answer.temperature=0.7", "rag.answer.seed=42")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    factory[0] = (RecordingFactory) context.getBean(TextGeneratorLoader.class);
                    assertThat(factory[0].loads)
                            .containsExactly(modelDir.toAbsolutePath().normalize() + " on cuda:1 as INT8");
                    assertThat(factory[0].decoders).containsExactly(LoadOptions.Decoder.AUTO);
                    Answerer answerer = context.getBean(Answerer.class);
                    assertThat(answerer).isInstanceOf(LlmAnswerer.class);
                    assertThat(answerer.name()).isEqualTo("llm:scripted-7b");

                    Answer answer = answerer.answer("What does Acme sell?", passages());
                    assertThat(answer.text()).isEqualTo("Anvils [1].");
                    ScriptedTextGenerator model = factory[0].loaded.get(0);
                    assertThat(model.lastParams().maxNewTokens()).isEqualTo(64);
                    assertThat(model.lastParams().temperature()).isEqualTo(0.7);
                    assertThat(model.lastParams().seed()).isEqualTo(42);
                    // The built-in example is there by default.
                    assertThat(model.prompts().get(0)).contains("Larkspur");
                    assertThat(model.closed()).isFalse();
                });
        assertThat(factory[0].loaded.get(0).closed()).as("closed on shutdown").isTrue();
    }

    @Test
    void theDecoderAndPrefillSettingsReachTheLoaderAndABadOneStopsTheStart() {
        runner(FakeRuntime.class)
                .withPropertyValues("rag.model.path=" + modelDir, "rag.model.decoder=Engine",
                        "rag.model.prefill=AMX-bf16")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    context.getBean(Answerer.class);
                    RecordingFactory factory = (RecordingFactory) context.getBean(TextGeneratorLoader.class);
                    assertThat(factory.decoders).containsExactly(LoadOptions.Decoder.ENGINE);
                    assertThat(factory.prefills).containsExactly(LoadOptions.Prefill.AMX_BF16);
                });
        runner(FakeRuntime.class)
                .withPropertyValues("rag.model.path=" + modelDir, "rag.model.decoder=gpu")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .has(causeMessage("rag.model.decoder must be auto, native or engine, was gpu")));
        runner(FakeRuntime.class)
                .withPropertyValues("rag.model.path=" + modelDir, "rag.model.prefill=tpu")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .has(causeMessage("rag.model.prefill must be auto, amx, amx-bf16, native or engine, was tpu")));
    }

    @Test
    void fewShotExamplesComeFromTheConfiguredFileOrNotAtAll() throws Exception {
        Path file = Files.writeString(modelDir.resolve("examples.json"), """
                [{"question": "How tall is the Zorbel tower?",
                  "passages": [{"title": "Zorbel", "text": "The Zorbel tower is 41 metres tall."}],
                  "answer": "It is 41 metres tall [1]."}]
                """);
        runner(FakeRuntime.class)
                .withPropertyValues("rag.model.path=" + modelDir, "rag.answer.few-shot-file=" + file)
                .run(context -> {
                    context.getBean(Answerer.class).answer("Q?", passages());
                    String prompt = ((RecordingFactory) context.getBean(TextGeneratorLoader.class)).loaded.get(0)
                            .prompts().get(0);
                    assertThat(prompt).contains("[1] Zorbel\nThe Zorbel tower is 41 metres tall.",
                            "<|assistant|>\nIt is 41 metres tall [1].").doesNotContain("Larkspur");
                });
        runner(FakeRuntime.class)
                .withPropertyValues("rag.model.path=" + modelDir, "rag.answer.built-in-example=false",
                        "rag.answer.system-prompt=Cite as [n]. Passages only.")
                .run(context -> {
                    context.getBean(Answerer.class).answer("Q?", passages());
                    String prompt = ((RecordingFactory) context.getBean(TextGeneratorLoader.class)).loaded.get(0)
                            .prompts().get(0);
                    assertThat(prompt).doesNotContain("Larkspur")
                            .startsWith("<|system|>\nCite as [n]. Passages only.\n");
                    assertThat(prompt.split("<\\|user\\|>", -1)).hasSize(2);
                });
    }

    @Test
    void aModelFolderWithoutCheckpointFilesFailsStartupNamingTheMissingFile() {
        // The production loader (CausalLm) reads the folder and names what is missing.
        runner().withPropertyValues("rag.model.path=" + modelDir).run(context ->
                assertThat(context).hasFailed().getFailure().has(causeMessage("config.json")));
    }

    @Test
    void aModelPathThatIsNoFolderFailsStartupNamingIt() {
        runner(FakeRuntime.class).withPropertyValues("rag.model.path=" + modelDir.resolve("missing")).run(context ->
                assertThat(context).hasFailed().getFailure().has(causeMessage("is not a folder")));
    }

    @Test
    void aBadFewShotFileFailsStartupNamingTheFile() throws Exception {
        Path file = Files.writeString(modelDir.resolve("bad.yaml"), "- question: Q\n  answer: A [3]\n"
                + "  passages:\n    - {title: T, text: X}\n");
        runner(FakeRuntime.class)
                .withPropertyValues("rag.model.path=" + modelDir, "rag.answer.few-shot-file=" + file)
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .has(causeMessage("rag.answer.few-shot-file " + file))
                        .has(causeMessage("cites [3] but the example has 1 passage")));
    }

    private static List<ScoredChunk> passages() {
        Chunk chunk = new Chunk("a#0", "a", "default", "a.md", "Acme", List.of(), null, 0, 18, "Acme sells anvils.",
                List.of(), 0);
        return List.of(new ScoredChunk(chunk, 1.0, 1, 1));
    }

    static Condition<Throwable> causeMessage(String text) {
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
