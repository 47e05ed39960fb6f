package dev.groundwork.model.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.model.safetensors.SafetensorsException;
import dev.groundwork.model.sample.SamplingParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading errors and the generation loop's stopping rules, on tiny random checkpoints written by the test. */
class LoadAndGenerateTest {

    @TempDir
    Path tmp;

    private Path checkpoint(TinyCheckpoint.Spec spec) throws IOException {
        Path dir = tmp.resolve("m" + spec.seed() + spec.architecture());
        TinyCheckpoint.write(dir, spec);
        return dir;
    }

    @Test
    void unknownArchitectureListsTheSupportedOnes() throws IOException {
        Path dir = checkpoint(TinyCheckpoint.Spec.llama());
        Files.writeString(dir.resolve("config.json"),
                Files.readString(dir.resolve("config.json")).replace("LlamaForCausalLM", "GPT2LMHeadModel"));
        assertThatThrownBy(() -> CausalLm.load(dir, LoadOptions.cpu())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.json").hasMessageContaining("GPT2LMHeadModel")
                .hasMessageContaining("LlamaForCausalLM").hasMessageContaining("MistralForCausalLM")
                .hasMessageContaining("Qwen2ForCausalLM").hasMessageContaining("Qwen3ForCausalLM");
    }

    @Test
    void missingFilesAndTensorsAreNamed() throws IOException {
        Path noWeights = checkpoint(TinyCheckpoint.Spec.llama());
        Files.delete(noWeights.resolve("model.safetensors"));
        assertThatThrownBy(() -> CausalLm.load(noWeights, LoadOptions.cpu()))
                .hasMessageContaining("model.safetensors");

        Path noConfig = checkpoint(TinyCheckpoint.Spec.llama().with("seed", 2L));
        Files.delete(noConfig.resolve("config.json"));
        assertThatThrownBy(() -> CausalLm.load(noConfig, LoadOptions.cpu())).hasMessageContaining("config.json");

        Path noTokenizer = checkpoint(TinyCheckpoint.Spec.llama().with("seed", 3L));
        Files.delete(noTokenizer.resolve("tokenizer.json"));
        assertThatThrownBy(() -> CausalLm.load(noTokenizer, LoadOptions.cpu())).hasMessageContaining("tokenizer.json");

        // a checkpoint whose head is untied in config.json but that has no lm_head tensor
        Path noHead = checkpoint(TinyCheckpoint.Spec.llama().with("seed", 4L));
        Files.writeString(noHead.resolve("config.json"), Files.readString(noHead.resolve("config.json"))
                .replace("\"tie_word_embeddings\":true", "\"tie_word_embeddings\":false"));
        assertThatThrownBy(() -> CausalLm.load(noHead, LoadOptions.cpu())).isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("lm_head.weight");

        // config.json says a different width than the tensors have
        Path wrongShape = checkpoint(TinyCheckpoint.Spec.llama().with("seed", 5L));
        Files.writeString(wrongShape.resolve("config.json"), Files.readString(wrongShape.resolve("config.json"))
                .replace("\"intermediate_size\":48", "\"intermediate_size\":40"));
        assertThatThrownBy(() -> CausalLm.load(wrongShape, LoadOptions.cpu()))
                .hasMessageContaining("model.layers.0.mlp.gate_proj.weight").hasMessageContaining("[48, 32]");
    }

    @Test
    void promptThatDoesNotFitTheContextIsRefused() throws IOException {
        Path dir = checkpoint(TinyCheckpoint.Spec.llama().with("context", 16));
        try (CausalLm lm = CausalLm.load(dir, LoadOptions.cpu())) {
            assertThat(lm.contextLength()).isEqualTo(16);
            String prompt = "w3 w4 w5 w6 w7 w8 w9 w10 w11 w12"; // 10 tokens, no BOS: the tokenizer adds none
            assertThat(lm.tokenCounter().countTokens(prompt)).isEqualTo(10);
            assertThatThrownBy(() -> lm.generate(prompt, SamplingParams.greedy(7), piece -> true))
                    .isInstanceOfSatisfying(PromptTooLongException.class, e -> {
                        assertThat(e.promptTokens()).isEqualTo(10);
                        assertThat(e.maxNewTokens()).isEqualTo(7);
                        assertThat(e.contextLength()).isEqualTo(16);
                    });
            assertThat(lm.generate(prompt, SamplingParams.greedy(6), piece -> true).tokenIds()).hasSize(6);
        }
        try (CausalLm capped = CausalLm.load(dir, new LoadOptions("cpu", 12, LoadOptions.CpuWeights.FLOAT32))) {
            assertThat(capped.contextLength()).isEqualTo(12);
            assertThatThrownBy(() -> capped.generate("w3 w4 w5 w6 w7 w8 w9 w10 w11 w12", SamplingParams.greedy(3),
                    piece -> true)).isInstanceOf(PromptTooLongException.class);
        }
    }

    @Test
    void generationStopsAtEosCancellationAndMaxTokens() throws IOException {
        Path dir = checkpoint(TinyCheckpoint.Spec.llama().with("seed", 11L));
        String prompt = "w3 w9 w17";
        List<Integer> free;
        try (CausalLm lm = CausalLm.load(dir, LoadOptions.cpu())) {
            Generation g = lm.generate(prompt, SamplingParams.greedy(6), piece -> true);
            assertThat(g.finishReason()).isEqualTo(Generation.FinishReason.MAX_TOKENS);
            assertThat(g.tokenIds()).hasSize(6);
            free = g.tokenIds();

            List<String> pieces = new ArrayList<>();
            Generation cancelled = lm.generate(prompt, SamplingParams.greedy(6), piece -> {
                pieces.add(piece);
                return pieces.size() < 2;
            });
            assertThat(cancelled.finishReason()).isEqualTo(Generation.FinishReason.CANCELLED);
            assertThat(cancelled.tokenIds()).containsExactlyElementsOf(free.subList(0, 2));
            assertThat(String.join("", pieces)).isEqualTo(cancelled.text());
        }
        // make the third greedy token an EOS id: generation must end there, its text not shown
        int eos = free.get(2);
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\":[99, " + eos + "]}");
        try (CausalLm lm = CausalLm.load(dir, LoadOptions.cpu())) {
            assertThat(lm.eosTokenIds()).containsExactlyInAnyOrder(99, eos);
            StringBuilder streamed = new StringBuilder();
            Generation g = lm.generate(prompt, SamplingParams.greedy(6), piece -> streamed.append(piece) != null);
            assertThat(g.finishReason()).isEqualTo(Generation.FinishReason.EOS);
            int firstEos = free.indexOf(eos);
            assertThat(g.tokenIds()).containsExactlyElementsOf(free.subList(0, firstEos + 1));
            assertThat(g.text()).isEqualTo(streamed.toString()).doesNotContain("w" + eos);
        }
    }

    @Test
    void noArraysOutliveAStep() throws IOException {
        // the bar: memory stays flat over a 2,000-token generation
        Path dir = checkpoint(TinyCheckpoint.Spec.llama().with("seed", 13L).with("context", 2048));
        try (CausalLm lm = CausalLm.load(dir, new LoadOptions("cpu", 0, LoadOptions.CpuWeights.FLOAT16))) {
            lm.generate("w3 w4 w5", SamplingParams.greedy(3), piece -> true);
            int afterShort = lm.liveArrays();
            Generation longer = lm.generate("w3 w4 w5 w6", SamplingParams.greedy(2000), piece -> true);
            assertThat(longer.tokenIds()).hasSize(2000);
            assertThat(lm.liveArrays()).as("arrays held after 3 vs 2,000 generated tokens").isEqualTo(afterShort);
        }
    }

    @Test
    void unsupportedSettingsFailLoudly() throws IOException {
        Path yarn = checkpoint(TinyCheckpoint.Spec.llama().with("seed", 14L)
                .with("ropeScalingJson", "{\"rope_type\":\"yarn\",\"factor\":4.0}"));
        assertThatThrownBy(() -> CausalLm.load(yarn, LoadOptions.cpu())).hasMessageContaining("config.json")
                .hasMessageContaining("yarn").hasMessageContaining("llama3");

        Path dir = checkpoint(TinyCheckpoint.Spec.llama().with("seed", 15L));
        assertThatThrownBy(() -> CausalLm.load(dir, new LoadOptions("cuda:7", 0, LoadOptions.CpuWeights.AUTO)))
                .hasMessageContaining("cuda:7").hasMessageContaining("GPU");
        assertThatThrownBy(() -> new LoadOptions("tpu", 0, LoadOptions.CpuWeights.AUTO))
                .hasMessageContaining("cpu, cuda, cuda:N or auto");
        try (CausalLm lm = CausalLm.load(dir, LoadOptions.defaults("auto"))) {
            // the test machines have no GPU visible to the CPU build of libtorch: auto falls back to the CPU
            assertThat(lm.generate("w3", SamplingParams.greedy(2), piece -> true).tokenIds()).hasSize(2);
        }
    }

    @Test
    void slidingWindowLayersFollowTransformersConfigRules() {
        String base = "\"hidden_size\":32,\"intermediate_size\":48,\"num_hidden_layers\":3,"
                + "\"num_attention_heads\":4,\"max_position_embeddings\":64,\"vocab_size\":40";
        // Mistral: every layer slides when sliding_window is set; absent means transformers' default 4096
        ModelConfig mistral = config("{\"architectures\":[\"MistralForCausalLM\"]," + base + ",\"sliding_window\":24}");
        assertThat(mistral.contextLength()).as("the window no longer caps the context").isEqualTo(64);
        assertThat(mistral.slidingWindow()).isEqualTo(24);
        assertThat(mistral.slidingLayers()).containsExactly(true, true, true);
        assertThat(config("{\"architectures\":[\"MistralForCausalLM\"]," + base + "}").slidingWindow())
                .isEqualTo(4096);
        assertThat(config("{\"architectures\":[\"MistralForCausalLM\"]," + base + ",\"sliding_window\":null}")
                .slidingLayers()).containsExactly(false, false, false);
        // Qwen2: only with use_sliding_window, and only from max_window_layers on (or as layer_types says)
        String qwen = "{\"architectures\":[\"Qwen2ForCausalLM\"]," + base + ",\"sliding_window\":8";
        assertThat(config(qwen + "}").slidingWindow()).isZero();
        assertThat(config(qwen + ",\"use_sliding_window\":null}").slidingWindow()).as("null is false").isZero();
        assertThat(config(qwen + ",\"use_sliding_window\":true,\"max_window_layers\":1}").slidingLayers())
                .containsExactly(false, true, true);
        assertThat(config(qwen + ",\"use_sliding_window\":true}").slidingLayers())
                .as("default max_window_layers 28").containsExactly(false, false, false);
        assertThat(config(qwen + ",\"use_sliding_window\":true,\"layer_types\":[\"sliding_attention\","
                + "\"full_attention\",\"sliding_attention\"]}").slidingLayers()).containsExactly(true, false, true);
        assertThatThrownBy(() -> config(qwen + ",\"layer_types\":[\"sliding_attention\",\"full_attention\","
                + "\"full_attention\"]}")).hasMessageContaining("use_sliding_window");
        assertThat(config("{\"architectures\":[\"LlamaForCausalLM\"]," + base + ",\"sliding_window\":8}")
                .slidingWindow()).as("Llama never slides").isZero();
    }

    private static ModelConfig config(String json) {
        return ModelConfig.fromJson(com.google.gson.JsonParser.parseString(json).getAsJsonObject());
    }
}
