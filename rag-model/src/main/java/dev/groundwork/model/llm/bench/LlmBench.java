package dev.groundwork.model.llm.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.groundwork.model.llm.CausalLm;
import dev.groundwork.model.llm.Generation;
import dev.groundwork.model.llm.LoadOptions;
import dev.groundwork.model.sample.SamplingParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Decode and prefill speed of the DJL runtime on a random-weight checkpoint of a real model's shape, against the
 * roofline of this machine (weight bytes read per decoded token ÷ streaming memory bandwidth, measured in the same
 * run by summing a 2 GiB array on the same engine).
 *
 * <p>Usage: {@code LlmBench [qwen2.5-0.5b|tinyllama-1.1b] [promptTokens=512] [decodeTokens=64]
 * [fp16|fp32|int8] [modelDir] [auto|native|engine] [auto|amx|amx-bf16|engine]}; the last two choose the decoder
 * ({@link LoadOptions.Decoder}) and the prompt products ({@link LoadOptions.Prefill}); the weight bytes per token of the roofline are those of the chosen storage (int8:
 * values plus scales). Without {@code modelDir} the checkpoint is written to a temporary folder and deleted afterwards;
 * with it, a checkpoint already there is reused. Decode is reported twice: for the first generation after start
 * (as a CLI user sees it) and after a further {@value #JIT_WARM_UP_TOKENS}-token warm-up (as a server runs).
 * Peak RSS is read before the bandwidth probe allocates its 2 GiB.
 * Torch's intra-op threads follow {@code -Dai.djl.pytorch.num_threads} (default: all cores); on a machine shared
 * with other busy processes, 1 thread avoids OpenMP spin-waiting, which slowed decode here by ten times.
 */
public final class LlmBench {

    /** Decoded tokens after which decode has reached its steady speed (measured: ~250 on this machine). */
    private static final int JIT_WARM_UP_TOKENS = 256;

    private LlmBench() {
    }

    public static void main(String[] args) throws IOException {
        String shape = args.length > 0 ? args[0] : "qwen2.5-0.5b";
        int promptTokens = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int decodeTokens = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        LoadOptions.CpuWeights weights = switch (args.length > 3 ? args[3] : "fp16") {
            case "fp16" -> LoadOptions.CpuWeights.FLOAT16;
            case "fp32" -> LoadOptions.CpuWeights.FLOAT32;
            case "int8" -> LoadOptions.CpuWeights.INT8;
            default -> throw new IllegalArgumentException("weights must be fp16, fp32 or int8, was " + args[3]);
        };
        RandomCheckpoint spec = switch (shape) {
            case "qwen2.5-0.5b" -> RandomCheckpoint.qwen25HalfB();
            case "tinyllama-1.1b" -> RandomCheckpoint.tinyLlama();
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        };
        Path dir = args.length > 4 ? Path.of(args[4]) : Files.createTempDirectory("groundwork-bench-");
        boolean temporary = args.length <= 4;
        LoadOptions.Decoder decoder = LoadOptions.Decoder.fromName(args.length > 5 ? args[5] : "auto");
        LoadOptions.Prefill prefill = LoadOptions.Prefill.fromName(args.length > 6 ? args[6] : "auto");
        try {
            if (!Files.exists(dir.resolve("model.safetensors"))) {
                long t = System.nanoTime();
                spec.write(dir, 42);
                System.out.printf("wrote %s checkpoint in %.1f s%n", spec.name(), (System.nanoTime() - t) / 1e9);
            }
            run(dir, spec, promptTokens, decodeTokens, new LoadOptions("cpu", 0, weights, decoder, prefill));
        } finally {
            if (temporary) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static void run(Path dir, RandomCheckpoint spec, int promptTokens, int decodeTokens,
            LoadOptions options) {
        LoadOptions.CpuWeights weights = options.cpuWeights();
        long t = System.nanoTime();
        long weightBytes;
        Generation g;
        Generation steady;
        try (CausalLm lm = CausalLm.load(dir, options)) {
            System.out.printf("loaded in %.1f s (%s; decode: %s; prefill products: %s)%n",
                    (System.nanoTime() - t) / 1e9, switch (weights) {
                        case FLOAT16 -> "fp16 weights";
                        case INT8 -> "int8 weights, scales per 64 columns";
                        default -> "fp32 weights";
                    }, lm.decoderDescription(), lm.prefillDescription());
            weightBytes = lm.decodeBytesPerToken();
            SplittableRandom random = new SplittableRandom(7);
            long[] prompt = new long[promptTokens];
            for (int i = 0; i < prompt.length; i++) {
                prompt[i] = random.nextInt(spec.vocab());
            }
            lm.generate(new long[] {1, 2, 3, 4}, SamplingParams.greedy(4), piece -> true); // warm-up
            g = lm.generate(prompt, SamplingParams.greedy(decodeTokens), piece -> true);
            // the first few hundred decoded tokens after start run ~30% slower (a C1-only JIT reaches the same
            // later speed, so not C2's work; cause not pinned down): a long-running server decodes at the later speed
            lm.generate(new long[] {1, 2, 3, 4}, SamplingParams.greedy(JIT_WARM_UP_TOKENS), piece -> true);
            steady = lm.generate(prompt, SamplingParams.greedy(decodeTokens), piece -> true);
        }
        long peakRss = peakRssBytes();
        double bandwidth = bandwidthBytesPerSecond();
        double decode = g.decodeTokensPerSecond();
        double roofline = bandwidth / weightBytes;
        System.out.printf("model %s, prompt %d tokens, %d generated%n", spec.name(), promptTokens, g.tokenIds().size());
        System.out.printf("prefill   %.1f tok/s (time to first token %.0f ms)%n",
                promptTokens / (g.prefillNanos() / 1e9), g.prefillNanos() / 1e6);
        System.out.printf("decode    %.1f tok/s (first generation after start)%n", decode);
        System.out.printf("decode    %.1f tok/s steady (after %d more tokens of warm-up), prefill %.1f tok/s, "
                + "%.0f%% of the roofline%n", steady.decodeTokensPerSecond(), JIT_WARM_UP_TOKENS,
                promptTokens / (steady.prefillNanos() / 1e9), 100 * steady.decodeTokensPerSecond() / roofline);
        System.out.printf("peak RSS  %.2f GB%n", peakRss / 1e9);
        System.out.printf("roofline  %.1f tok/s = %.1f GB/s / %.2f GB per token; decode at %.0f%% of it%n", roofline,
                bandwidth / 1e9, weightBytes / 1e9, 100 * decode / roofline);
    }

    /** Best of five sums over a 2 GiB float array on the PyTorch engine. */
    public static double bandwidthBytesPerSecond() {
        long bytes = 2L << 30;
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray big = manager.ones(new Shape(bytes / 4), DataType.FLOAT32);
            double best = 0;
            for (int i = 0; i < 5; i++) {
                long t = System.nanoTime();
                try (NDArray sum = big.sum()) {
                    sum.getFloat();
                }
                best = Math.max(best, bytes / ((System.nanoTime() - t) / 1e9));
            }
            return best;
        }
    }

    /** VmHWM of this process from /proc (0 where there is no /proc). */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
