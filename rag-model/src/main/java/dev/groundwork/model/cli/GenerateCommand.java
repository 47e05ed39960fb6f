package dev.groundwork.model.cli;

import dev.groundwork.model.llm.TextGeneratorLoader;
import dev.groundwork.model.llm.Generation;
import dev.groundwork.model.llm.CausalLm;
import dev.groundwork.model.llm.LoadOptions;
import dev.groundwork.model.llm.TextGenerator;
import dev.groundwork.model.sample.SamplingParams;
import dev.groundwork.model.template.ChatMessage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code generate --model DIR --prompt TEXT [--weights auto|fp32|fp16|int8]}: streams the model's continuation to stdout and, on stderr, the prompt
 * size, prefill time and decode speed. The prompt is raw (special tokens written in it are recognised) unless
 * {@code --chat} wraps it as a user message in the model's chat template.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generates text with a local model and prints it as it is produced; speed on stderr.")
final class GenerateCommand implements Callable<Integer> {

    private final TextGeneratorLoader loader;

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face model folder")
    private Path model;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "the prompt")
    private String prompt;

    @Option(names = "--chat", description = "apply the model's chat template to the prompt as a user message")
    private boolean chat;

    @Option(names = "--max-tokens", defaultValue = "256", paramLabel = "N",
            description = "most tokens to generate (default ${DEFAULT-VALUE})")
    private int maxTokens;

    @Option(names = "--temperature", defaultValue = "0", paramLabel = "T",
            description = "0 is greedy (default ${DEFAULT-VALUE})")
    private double temperature;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "0 disables (default)")
    private int topK;

    @Option(names = "--top-p", defaultValue = "1", paramLabel = "P", description = "1 disables (default)")
    private double topP;

    @Option(names = "--min-p", defaultValue = "0", paramLabel = "P", description = "0 disables (default)")
    private double minP;

    @Option(names = "--repetition-penalty", defaultValue = "1", paramLabel = "R", description = "1 disables (default)")
    private double repetitionPenalty;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "random seed (default 0)")
    private long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "stop string (repeatable)")
    private List<String> stop = List.of();

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
            description = "cpu, cuda, cuda:N or auto (default ${DEFAULT-VALUE})")
    private String device;

    @Option(names = "--weights", defaultValue = "auto", paramLabel = "TYPE",
            description = "CPU weight storage: auto (fp16 for 16-bit checkpoints), fp32, fp16 or int8 (about half "
                    + "of fp16's memory, faster decode on the native kernels) (default ${DEFAULT-VALUE})")
    private String weights;

    @Option(names = "--decoder", defaultValue = "auto", paramLabel = "WHICH",
            description = "what decodes on CPU: auto (the native kernels where built), native or engine (DJL) "
                    + "(default ${DEFAULT-VALUE})")
    private String decoder;

    @Option(names = "--prefill", defaultValue = "auto", paramLabel = "WHICH",
            description = "what runs the prompt on CPU: auto (Intel AMX for fp16/int8 weights where present, else "
                    + "native), amx, amx-bf16 (faster, bf16-rounded), native (fp32 on the native kernels, products on "
                    + "AVX-512 FMA) or engine (DJL only) (default ${DEFAULT-VALUE})")
    private String prefill;

    GenerateCommand(TextGeneratorLoader loader) {
        this.loader = loader;
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(model)) {
            throw new ParameterException(spec.commandLine(), "--model " + model + " is not a folder");
        }
        SamplingParams params;
        try {
            params = new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, 0, 0, seed, maxTokens, stop);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        LoadOptions.CpuWeights cpuWeights;
        try {
            cpuWeights = LoadOptions.CpuWeights.fromName(weights);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--weights " + e.getMessage());
        }
        LoadOptions.Decoder decoderChoice;
        try {
            decoderChoice = LoadOptions.Decoder.fromName(decoder);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--decoder " + e.getMessage());
        }
        LoadOptions.Prefill prefillChoice;
        try {
            prefillChoice = LoadOptions.Prefill.fromName(prefill);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--prefill " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (TextGenerator generator = loader.load(model, new LoadOptions(device, 0, cpuWeights, decoderChoice,
                prefillChoice))) {
            String text = chat ? generator.renderChat(List.of(ChatMessage.user(prompt)), true) : prompt;
            Generation generation = generator.generate(text, params, piece -> {
                out.print(piece);
                out.flush();
                return true;
            });
            out.println();
            out.flush();
            err.println(stats(generation));
            if (generator instanceof CausalLm lm) {
                err.println("decoded by " + lm.decoderDescription() + "; prompt multiplied by "
                        + lm.prefillDescription());
            }
            err.flush();
        }
        return 0;
    }

    static String stats(Generation g) {
        return String.format(Locale.ROOT,
                "prompt tokens: %d, prefill: %.1f ms, generated: %d tokens, decode: %.2f tokens/s (%s)",
                g.promptTokens(), g.prefillNanos() / 1e6, g.tokenIds().size(), g.decodeTokensPerSecond(),
                g.finishReason().name().toLowerCase(Locale.ROOT));
    }
}
