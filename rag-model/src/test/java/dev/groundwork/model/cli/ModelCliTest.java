package dev.groundwork.model.cli;

import dev.groundwork.model.llm.LoadOptions;
import dev.groundwork.model.llm.TextGenerator;
import dev.groundwork.model.llm.TextGeneratorLoader;
import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.model.pull.HubDownloader;
import dev.groundwork.model.sample.SamplingParams;
import dev.groundwork.model.testdoubles.FakeHub;
import dev.groundwork.model.testdoubles.ScriptedGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModelCliTest {

    @TempDir
    Path modelDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ScriptedGenerator generator = new ScriptedGenerator("tiny", List.of("Once", " upon", " a", " time"),
            300);
    private String deviceSeen;

    private int run(TextGeneratorLoader loader, Map<String, String> env, String... args) {
        CommandLine cli = ModelCli.commandLine(loader, HubDownloader::new, env::get);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private int generate(String... args) {
        return run((dir, device) -> {
            deviceSeen = device;
            return generator;
        }, Map.of(), args);
    }

    @Test
    void generatePrintsTheStreamedTextAndSpeedOnStderr() {
        int code = generate("generate", "--model", modelDir.toString(), "--prompt", "Tell me a story");

        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("Once upon a time" + System.lineSeparator());
        assertThat(generator.lastPrompt).isEqualTo("Tell me a story");
        assertThat(generator.lastParams).isEqualTo(SamplingParams.greedy(256));
        // ScriptedGenerator: 4 prompt words, 3 ms prefill, 3 decoded tokens in 40 ms = 75 tokens/s.
        assertThat(err.toString()).contains("prompt tokens: 4, prefill: 3.0 ms, generated: 4 tokens, "
                + "decode: 75.00 tokens/s (eos)");
        assertThat(deviceSeen).isEqualTo("cpu");
        assertThat(generator.closed).isTrue();
    }

    @Test
    void generateMapsSamplingOptionsAndAppliesTheChatTemplate() {
        int code = generate("generate", "--model", modelDir.toString(), "--prompt", "Hi", "--chat", "--max-tokens", "2",
                "--temperature", "0.7", "--top-k", "40", "--top-p", "0.9", "--seed", "7", "--device", "cuda:1",
                "--stop", "END");

        assertThat(code).isZero();
        assertThat(generator.lastPrompt).isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
        assertThat(generator.lastParams).isEqualTo(new SamplingParams(0.7, 40, 0.9, 0, 1, 0, 0, 7, 2, List.of("END")));
        assertThat(out.toString()).startsWith("Once upon");
        assertThat(err.toString()).contains("(max_tokens)");
        assertThat(deviceSeen).isEqualTo("cuda:1");
    }

    @Test
    void decoderAndPrefillOptionsReachTheLoader() {
        List<String> seen = new java.util.ArrayList<>();
        TextGeneratorLoader loader = new TextGeneratorLoader() {
            @Override
            public TextGenerator load(Path dir, String device) {
                throw new AssertionError("the CLI passes all its options");
            }

            @Override
            public TextGenerator load(Path dir, LoadOptions options) {
                seen.add(options.decoder() + "/" + options.prefill());
                return generator;
            }
        };
        assertThat(run(loader, Map.of(), "generate", "--model", modelDir.toString(), "--prompt", "x", "--decoder",
                "engine", "--prefill", "amx-bf16")).isZero();
        assertThat(run(loader, Map.of(), "generate", "--model", modelDir.toString(), "--prompt", "x")).isZero();
        assertThat(seen).containsExactly("ENGINE/AMX_BF16", "AUTO/AUTO");
        assertThat(run(loader, Map.of(), "generate", "--model", modelDir.toString(), "--prompt", "x", "--decoder",
                "gpu")).isEqualTo(2);
        assertThat(err.toString()).contains("--decoder must be auto, native or engine, was gpu");
        assertThat(run(loader, Map.of(), "generate", "--model", modelDir.toString(), "--prompt", "x", "--prefill",
                "tpu")).isEqualTo(2);
        assertThat(err.toString()).contains("--prefill must be auto, amx, amx-bf16, native or engine, was tpu");
    }

    @Test
    void weightsOptionChoosesHowTheLoaderHoldsWeights() {
        List<LoadOptions.CpuWeights> seen = new java.util.ArrayList<>();
        TextGeneratorLoader loader = new TextGeneratorLoader() {
            @Override
            public TextGenerator load(Path dir, String device) {
                throw new AssertionError("the CLI passes its weights choice");
            }

            @Override
            public TextGenerator load(Path dir, String device, LoadOptions.CpuWeights weights) {
                seen.add(weights);
                return generator;
            }
        };
        assertThat(run(loader, Map.of(), "generate", "--model", modelDir.toString(), "--prompt", "x", "--weights",
                "int8")).isZero();
        assertThat(run(loader, Map.of(), "generate", "--model", modelDir.toString(), "--prompt", "x", "--weights",
                "FP16")).isZero();
        assertThat(run(loader, Map.of(), "generate", "--model", modelDir.toString(), "--prompt", "x")).isZero();
        assertThat(seen).containsExactly(LoadOptions.CpuWeights.INT8, LoadOptions.CpuWeights.FLOAT16,
                LoadOptions.CpuWeights.AUTO);
        assertThat(run(loader, Map.of(), "generate", "--model", modelDir.toString(), "--prompt", "x", "--weights",
                "int4")).isEqualTo(2);
        assertThat(err.toString()).contains("--weights must be auto, fp32, fp16 or int8, was int4");
        // a loader without a precision choice refuses one rather than silently ignoring it
        assertThat(generate("generate", "--model", modelDir.toString(), "--prompt", "x", "--weights", "int8"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("cannot hold weights as INT8");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(generate("generate", "--model", modelDir.toString(), "--prompt", "x", "--top-p", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("topP must be in (0, 1]");
        assertThat(generate("generate", "--model", modelDir.resolve("missing").toString(), "--prompt", "x"))
                .isEqualTo(2);
        assertThat(generate("generate", "--prompt", "x")).isEqualTo(2);
        assertThat(generate()).isEqualTo(2);
    }

    @Test
    void failuresExitWithOneAndAMessage() {
        assertThat(run(TextGeneratorLoader.causalLm(), Map.of(), "generate", "--model", modelDir.toString(), "--prompt",
                "x")).isEqualTo(1);
        assertThat(err.toString()).contains("error: ").contains("config.json");

        // 297 prompt words + 4 new tokens > 300 context
        String longPrompt = "word ".repeat(297).trim();
        assertThat(generate("generate", "--model", modelDir.toString(), "--prompt", longPrompt, "--max-tokens", "4"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("error: prompt of 297 tokens plus 4 new tokens exceeds the context of 300");
        assertThat(generator.closed).isTrue();
    }

    @Test
    void pullDownloadsFromTheGivenEndpointWithTheTokenFromTheEnvironment() throws IOException {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        try (FakeHub hub = new FakeHub(Map.of("config.json", config, "model.safetensors", new byte[1000]))) {
            Path target = modelDir.resolve("tiny");
            int code = run((d, device) -> generator, Map.of("HF_TOKEN", "hf_abc"), "pull", "acme/tiny", "--dir",
                    target.toString(), "--endpoint", hub.endpoint().toString());

            assertThat(code).isZero();
            assertThat(Files.readAllBytes(target.resolve("config.json"))).isEqualTo(config);
            assertThat(Files.size(target.resolve("model.safetensors"))).isEqualTo(1000);
            assertThat(out.toString()).contains("acme/tiny: 2 files downloaded, 0 already complete");
            assertThat(err.toString()).contains("model.safetensors: done (0.0 MB)");
            assertThat(hub.requests.get(0).authorization()).isEqualTo("Bearer hf_abc");
        }
    }

    @Test
    void pullOfflineExitsWithOneAndSaysSo() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        int code = run((d, device) -> generator, Map.of(), "pull", "acme/tiny", "--dir", modelDir.toString(),
                "--endpoint", "http://127.0.0.1:" + closedPort);

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("this machine is offline; copy the model folder here instead");
        assertThat(run((d, device) -> generator, Map.of(), "pull", "not a repo", "--dir", modelDir.toString()))
                .isEqualTo(2);
    }
}
