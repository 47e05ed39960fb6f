package dev.groundwork.model.llm;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import dev.groundwork.model.safetensors.Dtype;
import dev.groundwork.model.safetensors.SafetensorsWeights;
import dev.groundwork.model.sample.SamplingParams;
import dev.groundwork.model.sample.TokenSampler;
import dev.groundwork.model.template.ChatMessage;
import dev.groundwork.model.template.ChatTemplate;
import dev.groundwork.model.tokenize.LlmTokenizer;
import dev.groundwork.model.tokenize.StreamingDetokenizer;
import dev.groundwork.model.tokenize.TokenCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A Hugging Face Llama / Mistral / Qwen2 / Qwen3 checkpoint running in-process on DJL's PyTorch engine.
 *
 * <p>Activations, norms, attention and the KV cache are float32; projection and embedding matrices are float32 or
 * float16 or int8 on CPU (see {@link LoadOptions.CpuWeights}) and float16 on CUDA (DJL cannot hold bfloat16), multiplied
 * in float16 there. On CPU, decode steps run on Groundwork's native kernels ({@link LoadOptions.Decoder}) and a
 * prompt's products on Intel AMX where the processor has it ({@link LoadOptions.Prefill}). The CUDA path has not been run on a GPU yet. Generation prefills the whole prompt in one
 * pass, then decodes one token at a time against a KV cache preallocated for prompt plus {@code maxNewTokens}.
 * Every step's arrays are freed at the end of the step, so memory stays flat over long generations. Generations
 * are serialised (one at a time per instance); all methods are thread-safe.
 */
public final class CausalLm implements TextGenerator {

    /** Prompt tokens per prefill pass; large enough for efficient matrix products, small enough for memory. */
    static final int PREFILL_CHUNK = 256;

    private final String modelId;
    private final ModelConfig config;
    private final GenerationDefaults defaults;
    private final LlmTokenizer tokenizer;
    private final ChatTemplate template;
    private final NDManager manager;
    private final Transformer transformer;
    private final int contextLength;
    /** Decode steps on CPU, or null when the engine decodes (see {@link LoadOptions.Decoder}). */
    private final NativeDecoder nativeDecoder;
    private final String decoderDescription;
    private final String prefillDescription;
    /** The native kernels' threads (decode steps, AMX prompt products), or null when neither is used. */
    private final NativePool pool;
    /** Huge-page weight memory the engine arrays wrap, or null; freed after the manager. */
    private final WeightArena arena;

    private CausalLm(String modelId, ModelConfig config, GenerationDefaults defaults, LlmTokenizer tokenizer,
            ChatTemplate template, NDManager manager, Transformer transformer, int contextLength,
            NativeDecoder nativeDecoder, String decoderDescription, String prefillDescription, NativePool pool,
            WeightArena arena) {
        this.modelId = modelId;
        this.config = config;
        this.defaults = defaults;
        this.tokenizer = tokenizer;
        this.template = template;
        this.manager = manager;
        this.transformer = transformer;
        this.contextLength = contextLength;
        this.nativeDecoder = nativeDecoder;
        this.decoderDescription = decoderDescription;
        this.prefillDescription = prefillDescription;
        this.pool = pool;
        this.arena = arena;
    }

    /**
     * Loads Groundwork's native kernels now if they exist here. Loading them sets how long libtorch's OpenMP threads
     * spin after each operation ({@code jni.c}), which libgomp reads once, when DJL's PyTorch engine loads it; an
     * application's entry point calls this before anything may start that engine. {@link #load} calls it too.
     */
    public static void loadNativeKernelsFirst() {
        NativeKernels.unavailable();
    }

    /**
     * Loads a model folder in the Hugging Face layout.
     *
     * @throws IllegalArgumentException naming the file or field when the folder is incomplete or unsupported
     * @throws dev.groundwork.model.safetensors.SafetensorsException naming the file or tensor when weights are bad
     */
    public static CausalLm load(Path dir, LoadOptions options) {
        return load(dir, options, Int8Matrix.DEFAULT_GROUP);
    }

    /** As {@link #load(Path, LoadOptions)} with another int8 group size; for measurements and tests. */
    static CausalLm load(Path dir, LoadOptions options, int int8Group) {
        return load(dir, options, int8Group, NativeKernels.AVX512);
    }

    /**
     * As {@link #load(Path, LoadOptions, int)} with the native kernels held to instruction sets up to {@code maxIsa}
     * ({@link NativeKernels#AVX2}: what a processor without AVX-512 runs); for tests.
     */
    static CausalLm load(Path dir, LoadOptions options, int int8Group, int maxIsa) {
        Objects.requireNonNull(options, "options");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model folder " + dir + " does not exist");
        }
        ModelConfig config = ModelConfig.fromFolder(dir);
        GenerationDefaults defaults = GenerationDefaults.fromFolder(dir);
        loadNativeKernelsFirst(); // before the engine
        boolean kernels = NativeKernels.unavailable().isEmpty();
        Engine engine = Engine.getEngine("PyTorch");
        Device device = device(engine, options.device());
        // activations, norms, attention and the KV cache stay fp32 everywhere (fp16 activations overflow on the
        // large outliers real checkpoints have); only the matrices may be fp16
        DataType dataType = DataType.FLOAT32;
        LlmTokenizer tokenizer = LlmTokenizer.fromModelFolder(dir);
        NDManager manager = engine.newBaseManager(device);
        boolean int8 = !device.isGpu() && options.cpuWeights() == LoadOptions.CpuWeights.INT8;
        boolean tryNative = !device.isGpu() && options.decoder() != LoadOptions.Decoder.ENGINE;
        WeightArena arena = tryNative && kernels ? new WeightArena() : null;
        NativePool pool = null;
        try (SafetensorsWeights weights = SafetensorsWeights.open(dir)) {
            ChatTemplate template = ChatTemplate.fromModelFolder(dir);
            DataType matrices = device.isGpu() ? DataType.FLOAT16 : matrixType(options.cpuWeights(), weights);
            WeightLoader loader = new WeightLoader(weights, manager, device, dataType, matrices,
                    int8 ? int8Group : 0, arena);
            TransformerWeights loaded = TransformerWeights.load(loader, config);
            int context = options.maxContext() == 0 ? config.contextLength()
                    : Math.min(options.maxContext(), config.contextLength());
            LoadOptions.Prefill prefill = device.isGpu() ? LoadOptions.Prefill.ENGINE
                    : prefillChoice(options.prefill(), int8 || matrices == DataType.FLOAT16, maxIsa);
            if (kernels && (tryNative || prefill != LoadOptions.Prefill.ENGINE)) {
                pool = new NativePool(decodeThreads(), maxIsa);
            }
            NativePrefill prompts = prefill == LoadOptions.Prefill.ENGINE ? null
                    : nativePrefill(pool, prefill, options.prefill());
            NativeDecoder decoder = null;
            String description = "DJL engine (" + (device.isGpu() ? "GPU" : "decoder " + options.decoder()) + ")";
            if (tryNative) {
                try {
                    if (pool == null) {
                        throw new UnsupportedOperationException(NativeKernels.unavailable().orElseThrow());
                    }
                    decoder = NativeDecoder.create(config, loaded, pool);
                    description = decoder.description();
                } catch (UnsupportedOperationException e) {
                    if (options.decoder() == LoadOptions.Decoder.NATIVE) {
                        throw new IllegalArgumentException("decoder native requested but unavailable: "
                                + e.getMessage(), e);
                    }
                    description = "DJL engine (" + e.getMessage() + ")";
                }
            }
            String prefillDescription = prompts != null ? prompts.description()
                    : "DJL engine (" + (device.isGpu() ? "GPU" : "prefill " + options.prefill()) + ")";
            return new CausalLm(dir.getFileName().toString(), config, defaults, tokenizer, template, manager,
                    new Transformer(config, loaded, manager, dataType, prompts), context, decoder, description,
                    prefillDescription, pool, arena);
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            manager.close();
            if (arena != null) {
                arena.close();
            }
            tokenizer.close();
            throw e;
        }
    }

    /**
     * {@link LoadOptions.Prefill#AUTO} becomes {@link LoadOptions.Prefill#AMX} for 16-bit and int8 weights where the
     * processor has AMX (and the kernels may use AVX-512), else {@link LoadOptions.Prefill#NATIVE} where the kernels
     * are built; fp32 weights were chosen for exactness and keep the engine throughout.
     */
    private static LoadOptions.Prefill prefillChoice(LoadOptions.Prefill asked, boolean compactWeights, int maxIsa) {
        if (asked != LoadOptions.Prefill.AUTO) {
            return asked;
        }
        if (!compactWeights || NativeKernels.unavailable().isPresent()) {
            return LoadOptions.Prefill.ENGINE;
        }
        return NativeKernels.amxAvailable() && maxIsa >= NativeKernels.AVX512 ? LoadOptions.Prefill.AMX
                : LoadOptions.Prefill.NATIVE;
    }

    /** The native prefill, failing loudly when it was asked for by name and cannot run here. */
    private static NativePrefill nativePrefill(NativePool pool, LoadOptions.Prefill choice,
            LoadOptions.Prefill asked) {
        try {
            if (pool == null) {
                throw new UnsupportedOperationException(NativeKernels.unavailable().orElseThrow());
            }
            return NativePrefill.create(pool, choice);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("prefill " + asked.name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', '-') + " requested but unavailable: " + e.getMessage(), e);
        }
    }

    /** The engine's CPU thread count when configured ({@code ai.djl.pytorch.num_threads}), else every core. */
    private static int decodeThreads() {
        return Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    }

    private static DataType matrixType(LoadOptions.CpuWeights choice, SafetensorsWeights weights) {
        return switch (choice) {
            case FLOAT32, INT8 -> DataType.FLOAT32; // int8: the type of matrices left unquantized (none now)
            case FLOAT16 -> DataType.FLOAT16;
            case AUTO -> weights.tensors().values().stream().allMatch(t -> t.dtype() != Dtype.F32)
                    ? DataType.FLOAT16 : DataType.FLOAT32;
        };
    }

    private static Device device(Engine engine, String name) {
        if (name.equals("auto")) {
            return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        }
        if (name.equals("cpu")) {
            return Device.cpu();
        }
        int id = name.equals("cuda") ? 0 : Integer.parseInt(name.substring("cuda:".length()));
        if (id >= engine.getGpuCount()) {
            throw new IllegalArgumentException("device " + name + " requested but the PyTorch engine sees "
                    + engine.getGpuCount() + " GPU(s)");
        }
        return Device.gpu(id);
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    public ModelConfig config() {
        return config;
    }

    /** EOS ids (from generation_config.json) that end a generation. */
    public Set<Integer> eosTokenIds() {
        return defaults.eosTokenIds();
    }

    /** What computes decode steps, e.g. "native kernels (avx512, 2 threads)" or "DJL engine (...)". */
    public String decoderDescription() {
        return decoderDescription;
    }

    /** What multiplies a prompt's rows by the weights, e.g. "AMX, bf16 x3 (~fp16-exact)" or "DJL engine (...)". */
    public String prefillDescription() {
        return prefillDescription;
    }

    /** Bytes of weights read from memory per decoded token: the numerator of the decode roofline. */
    public long decodeBytesPerToken() {
        return transformer.weights().decodeBytesPerToken();
    }

    @Override
    public TokenCounter tokenCounter() {
        return tokenizer;
    }

    public LlmTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public String renderChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return template.render(messages, addGenerationPrompt);
    }

    @Override
    public Generation generate(String prompt, SamplingParams params, GenerationListener listener) {
        return generate(tokenizer.encodePrompt(prompt), params, listener);
    }

    /**
     * Generates a continuation of an already tokenized prompt (used as given: no BOS is added).
     *
     * @throws PromptTooLongException if the prompt plus {@code params.maxNewTokens()} exceeds the context
     */
    public synchronized Generation generate(long[] promptIds, SamplingParams params, GenerationListener listener) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(listener, "listener");
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("the prompt is empty and the tokenizer adds no BOS token");
        }
        int total = promptIds.length + params.maxNewTokens();
        if (total > contextLength) {
            throw new PromptTooLongException(promptIds.length, params.maxNewTokens(), contextLength);
        }
        int[] history = new int[total];
        for (int i = 0; i < promptIds.length; i++) {
            history[i] = Math.toIntExact(promptIds[i]);
        }
        int length = promptIds.length;
        TokenSampler sampler = new TokenSampler(params);
        StreamingDetokenizer detokenizer = tokenizer.streamingDecoder(promptIds);
        StopStringFilter stops = new StopStringFilter(params.stop());
        List<Integer> generated = new ArrayList<>();
        Set<Integer> eos = defaults.eosTokenIds();

        long start = System.nanoTime();
        long firstToken = start;
        Generation.FinishReason reason = Generation.FinishReason.MAX_TOKENS;
        try (KvCache cache = new KvCache(manager, config, total, transformer.dataType())) {
            float[] logits = prefill(Arrays.copyOf(history, length), cache);
            while (true) {
                int next = sampler.next(logits, history, length);
                history[length++] = next;
                generated.add(next);
                if (generated.size() == 1) {
                    firstToken = System.nanoTime();
                }
                if (eos.contains(next)) {
                    reason = Generation.FinishReason.EOS;
                    break;
                }
                String shown = stops.accept(detokenizer.push(next));
                if (!listener.onText(shown)) {
                    reason = Generation.FinishReason.CANCELLED;
                    break;
                }
                if (stops.stopped()) {
                    reason = Generation.FinishReason.STOP_STRING;
                    break;
                }
                if (generated.size() == params.maxNewTokens()) {
                    break;
                }
                logits = step(new int[] {next}, cache);
            }
        }
        if (reason == Generation.FinishReason.EOS || reason == Generation.FinishReason.MAX_TOKENS) {
            String rest = stops.accept(detokenizer.flush());
            rest += stops.stopped() ? "" : stops.finish();
            if (stops.stopped()) {
                reason = Generation.FinishReason.STOP_STRING;
            }
            if (!rest.isEmpty()) {
                listener.onText(rest);
            }
        }
        long end = System.nanoTime();
        // a cancelled generation returns what the listener saw, not text still held back
        String text = reason == Generation.FinishReason.CANCELLED ? stops.released() : stops.text();
        return new Generation(text, generated, promptIds.length, reason, firstToken - start, end - firstToken);
    }

    /**
     * Runs the prompt through the model in chunks of {@value #PREFILL_CHUNK} tokens (each attending to the cache
     * of the ones before): activation memory stays bounded by the chunk instead of growing with the prompt.
     */
    private float[] prefill(int[] prompt, KvCache cache) {
        float[] logits = null;
        for (int from = 0; from < prompt.length; from += PREFILL_CHUNK) {
            logits = step(Arrays.copyOfRange(prompt, from, Math.min(prompt.length, from + PREFILL_CHUNK)), cache);
        }
        return logits;
    }

    /**
     * One forward pass over {@code tokens}; returns the logits of the last position, valid until the next call (the
     * native decoder reuses its buffer).
     */
    private float[] step(int[] tokens, KvCache cache) {
        if (tokens.length == 1 && nativeDecoder != null) {
            return nativeDecoder.step(tokens[0], cache);
        }
        try (NDScope scope = new NDScope()) {
            NDArray logits = transformer.forward(tokens, cache, false);
            return logits.toFloatArray();
        }
    }

    /**
     * Logits of every position of {@code tokens} from an empty cache, {@code [T][V]}; for verification.
     */
    public synchronized float[][] logits(int[] tokens) {
        try (KvCache cache = new KvCache(manager, config, tokens.length, transformer.dataType());
                NDScope scope = new NDScope()) {
            NDArray all = transformer.forward(tokens, cache, true);
            float[] flat = all.toFloatArray();
            int vocab = config.vocabSize();
            float[][] out = new float[tokens.length][];
            for (int i = 0; i < tokens.length; i++) {
                out[i] = Arrays.copyOfRange(flat, i * vocab, (i + 1) * vocab);
            }
            return out;
        }
    }

    /**
     * Logits of each step when {@code tokens} are fed one at a time through the KV cache after a prefill of the
     * first {@code prefill} tokens, {@code [T - prefill + 1][V]}; for verifying the cache against recomputation.
     */
    public synchronized float[][] cachedLogits(int[] tokens, int prefill) {
        try (KvCache cache = new KvCache(manager, config, tokens.length, transformer.dataType())) {
            float[][] out = new float[tokens.length - prefill + 1][];
            out[0] = prefill(Arrays.copyOf(tokens, prefill), cache).clone();
            for (int i = prefill; i < tokens.length; i++) {
                out[i - prefill + 1] = step(new int[] {tokens[i]}, cache).clone();
            }
            return out;
        }
    }

    /** Arrays the model's manager holds (weights, scratch and anything leaked); flat across generations. */
    synchronized int liveArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
        }
        manager.close();
        if (arena != null) {
            arena.close(); // after the manager: its arrays wrap this memory
        }
        tokenizer.close();
    }
}
