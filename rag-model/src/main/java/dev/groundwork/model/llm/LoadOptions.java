package dev.groundwork.model.llm;

/**
 * How a checkpoint is loaded.
 *
 * @param device {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} (CUDA when the engine sees a GPU)
 * @param maxContext caps the context window below the model's own (0: the model's); smaller bounds KV-cache memory
 * @param cpuWeights how projection weights are held on CPU (on CUDA everything is fp16)
 * @param decoder what computes one-token decode steps on CPU
 * @param prefill what multiplies a prompt's rows by the weights on CPU
 */
public record LoadOptions(String device, int maxContext, CpuWeights cpuWeights, Decoder decoder, Prefill prefill) {

    /**
     * What runs a decode step (one new token) on CPU. Prefill and GPUs always use DJL's engine.
     */
    public enum Decoder {
        /** {@link #NATIVE} where it can run (on CPU, Linux x86-64, rag-model built with gcc), else engine. */
        AUTO,
        /** Groundwork's native kernels (NativeDecoder); loading fails, saying why, where they cannot run. */
        NATIVE,
        /** DJL's engine, as prefill. */
        ENGINE;

        public static final String NAMES = "auto, native or engine";

        /** @throws IllegalArgumentException naming {@link #NAMES} and what was given */
        public static Decoder fromName(String name) {
            String key = name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT);
            return switch (key) {
                case "auto" -> AUTO;
                case "native" -> NATIVE;
                case "engine" -> ENGINE;
                default -> throw new IllegalArgumentException("must be " + NAMES + ", was " + name);
            };
        }
    }

    /**
     * What runs a prompt (prefill, two or more tokens at once) on CPU: its products by the projection weights, and
     * its attention, norms, rotary embeddings and SwiGLU. GPUs always use DJL's engine.
     */
    public enum Prefill {
        /**
         * {@link #AMX} for fp16 and int8 weights where the processor has AMX, else {@link #NATIVE} where the native
         * kernels are built, else engine; fp32 weights, chosen for exactness, stay on the engine.
         */
        AUTO,
        /**
         * Groundwork's kernels on Intel AMX (Sapphire Rapids and later), each operand split into two bfloat16 parts
         * so that products keep about 16 significant bits: as accurate as fp16 weights, several times faster than
         * the engine's fp32 products (docs/benchmarks.md). Loading fails, saying why, where AMX is missing.
         */
        AMX,
        /** As {@link #AMX} with operands rounded to bfloat16 once (8 significant bits): fastest, least exact. */
        AMX_BF16,
        /**
         * Everything in fp32 on Groundwork's native kernels, for processors without AMX: products on AVX-512 FMA
         * straight from the compact weights and attention in blocks of queries (where the processor lacks AVX-512:
         * the engine's products, attention query by query), norms, rotary embeddings and SwiGLU on the vector unit
         * (no score matrix, no allocating passes). Loading fails, saying why, where the kernels are not built.
         */
        NATIVE,
        /** DJL's engine for everything: fp32 products (fp16 and int8 weights are converted to fp32 first). */
        ENGINE;

        public static final String NAMES = "auto, amx, amx-bf16, native or engine";

        /** @throws IllegalArgumentException naming {@link #NAMES} and what was given */
        public static Prefill fromName(String name) {
            String key = name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT);
            return switch (key) {
                case "auto" -> AUTO;
                case "amx" -> AMX;
                case "amx-bf16" -> AMX_BF16;
                case "native" -> NATIVE;
                case "engine" -> ENGINE;
                default -> throw new IllegalArgumentException("must be " + NAMES + ", was " + name);
            };
        }
    }

    /** {@link Decoder#AUTO}, {@link Prefill#AUTO}. */
    public LoadOptions(String device, int maxContext, CpuWeights cpuWeights) {
        this(device, maxContext, cpuWeights, Decoder.AUTO, Prefill.AUTO);
    }

    /** {@link Prefill#AUTO}. */
    public LoadOptions(String device, int maxContext, CpuWeights cpuWeights, Decoder decoder) {
        this(device, maxContext, cpuWeights, decoder, Prefill.AUTO);
    }

    /** The same options with another decoder. */
    public LoadOptions withDecoder(Decoder choice) {
        return new LoadOptions(device, maxContext, cpuWeights, choice, prefill);
    }

    /** The same options with another prefill. */
    public LoadOptions withPrefill(Prefill choice) {
        return new LoadOptions(device, maxContext, cpuWeights, decoder, choice);
    }

    /**
     * Projection weights on CPU. Activations are always fp32 there. With {@link #FLOAT16} one-token decode steps
     * multiply in fp16 (half the bytes read per token; MKL's fp32 matrix-vector kernel is also slow on some CPUs)
     * and prompt prefill converts each projection to fp32 just for its product (fp16 matrix products are slow on
     * CPU), so memory holds the fp16 weights only.
     */
    public enum CpuWeights {
        /** fp32: exact for every checkpoint, twice the memory and bytes per token. */
        FLOAT32,
        /** fp16 (a weight beyond fp16's range keeps fp32). Lossy for fp32 checkpoints. */
        FLOAT16,
        /** {@link #FLOAT16} when the checkpoint is stored in 16 bits (bf16 values fit fp16's wider mantissa). */
        AUTO,
        /**
         * Weight-only int8 to cut memory: the projections, the vocabulary projection and the embedding table are
         * held as int8 with one fp32 scale per 64 input columns, about half of fp16's bytes. Lossy (logits move by a
         * few hundredths on small models). Decode steps on the native decoder read the int8 bytes and are about
         * twice as fast as {@link #FLOAT16}; on the engine each product dequantizes block by block and decode is
         * slower than fp16 (docs/benchmarks.md).
         */
        INT8;

        /** Names as users write them: in the CLI's {@code --weights} and rag-api's {@code rag.model.weights}. */
        public static final String NAMES = "auto, fp32, fp16 or int8";

        /**
         * The setting a user wrote, in any case: {@code auto}, {@code fp32}, {@code fp16} or {@code int8}.
         *
         * @throws IllegalArgumentException naming {@link #NAMES} and what was given
         */
        public static CpuWeights fromName(String name) {
            String key = name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT);
            return switch (key) {
                case "auto" -> AUTO;
                case "fp32" -> FLOAT32;
                case "fp16" -> FLOAT16;
                case "int8" -> INT8;
                default -> throw new IllegalArgumentException("must be " + NAMES + ", was " + name);
            };
        }
    }

    public LoadOptions {
        if (device == null || !device.matches("cpu|auto|cuda(:\\d+)?")) {
            throw new IllegalArgumentException("device must be cpu, cuda, cuda:N or auto, was " + device);
        }
        if (maxContext < 0) {
            throw new IllegalArgumentException("maxContext must be >= 0, was " + maxContext);
        }
        if (cpuWeights == null) {
            throw new IllegalArgumentException("cpuWeights must not be null");
        }
        if (decoder == null) {
            throw new IllegalArgumentException("decoder must not be null");
        }
        if (prefill == null) {
            throw new IllegalArgumentException("prefill must not be null");
        }
    }

    /** CPU, the model's context, fp32 weights (products on the engine): exact, for tests and verification. */
    public static LoadOptions cpu() {
        return new LoadOptions("cpu", 0, CpuWeights.FLOAT32);
    }

    /** The configured device, the model's context, {@link CpuWeights#AUTO}: the fast default. */
    public static LoadOptions defaults(String device) {
        return new LoadOptions(device, 0, CpuWeights.AUTO);
    }
}
