package dev.groundwork.api.config;

import dev.groundwork.api.ask.AskService;
import dev.groundwork.api.ask.FewShotExample;
import dev.groundwork.ingest.chunk.ChunkingOptions;
import dev.groundwork.ingest.retrieve.FusionOptions;
import dev.groundwork.model.llm.LoadOptions;
import dev.groundwork.model.sample.SamplingParams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the service, bound from {@code rag.*} (e.g. {@code --rag.data-dir=PATH}). Every value is checked
 * when the application starts, so a bad setting fails fast with a message naming the property.
 *
 * @param dataDir folder holding the index; required ({@code GroundworkApplication} defaults it to {@code ./data})
 * @param defaultCollection collection that uploads go to when none is named
 * @param retrieval reciprocal rank fusion settings
 * @param maxQuestionChars longest question accepted by {@code /api/ask} and {@code /api/search}
 * @param defaultTopK passages retrieved for a question when the request does not say
 * @param maxTopK the most passages or hits one request may ask for
 * @param maxUploadSize largest file accepted by {@code POST /api/documents}; keep
 *     {@code spring.servlet.multipart.*} in line with it (application.properties derives them from it)
 * @param chunkTokens most tokens per chunk, counted by the embedding model's tokenizer
 * @param overlapTokens tokens of overlap between consecutive chunks
 * @param embeddingModel folder of an ONNX sentence-transformers model, or {@code null} for all-MiniLM-L6-v2
 * @param model the local language model ({@code rag.model.*}); without a path answers stay extractive
 * @param answer how the language model answers ({@code rag.answer.*})
 */
@ConfigurationProperties("rag")
public record RagProperties(
        Path dataDir,
        @DefaultValue("default") String defaultCollection,
        @DefaultValue Retrieval retrieval,
        @DefaultValue("2000") int maxQuestionChars,
        @DefaultValue("5") int defaultTopK,
        @DefaultValue("50") int maxTopK,
        @DefaultValue("50MB") DataSize maxUploadSize,
        @DefaultValue("200") int chunkTokens,
        @DefaultValue("30") int overlapTokens,
        Path embeddingModel,
        @DefaultValue Model model,
        @DefaultValue Answering answer) {

    public RagProperties {
        if (dataDir == null || dataDir.toString().isBlank()) {
            throw new IllegalArgumentException("rag.data-dir is required: start with --rag.data-dir=PATH");
        }
        if (defaultCollection == null || defaultCollection.isBlank()) {
            throw new IllegalArgumentException("rag.default-collection must not be blank");
        }
        if (maxQuestionChars < 1) {
            throw new IllegalArgumentException("rag.max-question-chars must be >= 1, was " + maxQuestionChars);
        }
        if (maxTopK < 1 || defaultTopK < 1 || defaultTopK > maxTopK) {
            throw new IllegalArgumentException("rag.default-top-k (" + defaultTopK + ") must be between 1 and "
                    + "rag.max-top-k (" + maxTopK + ")");
        }
        if (maxUploadSize.toBytes() < 1) {
            throw new IllegalArgumentException("rag.max-upload-size must be positive, was " + maxUploadSize);
        }
        try {
            new ChunkingOptions(chunkTokens, overlapTokens);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rag.chunk-tokens / rag.overlap-tokens: " + e.getMessage(), e);
        }
    }

    /** The chunker's token budget. */
    public ChunkingOptions chunking() {
        return new ChunkingOptions(chunkTokens, overlapTokens);
    }

    /**
     * Reciprocal rank fusion settings ({@code rag.retrieval.*}).
     *
     * @param rrfK the RRF constant
     * @param bm25Weight weight of the BM25 list
     * @param vectorWeight weight of the vector list
     * @param candidates results taken from each list before fusing
     */
    public record Retrieval(@DefaultValue("60") int rrfK, @DefaultValue("1.0") double bm25Weight,
            @DefaultValue("1.0") double vectorWeight, @DefaultValue("50") int candidates) {

        public Retrieval {
            try {
                new FusionOptions(rrfK, bm25Weight, vectorWeight, candidates);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rag.retrieval.*: " + e.getMessage(), e);
            }
        }

        public FusionOptions fusionOptions() {
            return new FusionOptions(rrfK, bm25Weight, vectorWeight, candidates);
        }
    }

    /**
     * The local language model that answers ({@code rag.model.*}).
     *
     * @param path folder of a Hugging Face checkpoint ({@code --rag.model.path=DIR}); {@code null} keeps the
     *     extractive answerer
     * @param device {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} (CUDA when present)
     * @param weights how the weights are held on CPU: {@code auto} (fp16 for 16-bit checkpoints), {@code fp32},
     *     {@code fp16}, or {@code int8} for about half of fp16's memory (and, with the native decoder, about twice
     *     its decode speed)
     * @param decoder what decodes on CPU: {@code auto} (the native kernels where rag-model was built with them),
     *     {@code native} (fail at start if they cannot run) or {@code engine} (DJL)
     * @param prefill what runs a prompt on CPU: {@code auto} (Intel AMX for fp16 and int8 weights where the
     *     processor has it, else {@code native}), {@code amx} (fail at start without it), {@code amx-bf16} (faster,
     *     bf16-rounded), {@code native} (everything in fp32 on the native kernels, products on AVX-512 FMA) or
     *     {@code engine} (DJL only)
     */
    public record Model(Path path, @DefaultValue("auto") String device, @DefaultValue("auto") String weights,
            @DefaultValue("auto") String decoder, @DefaultValue("auto") String prefill) {

        private static final Pattern DEVICE = Pattern.compile("cpu|auto|cuda(:\\d+)?");

        public Model {
            if (device == null || !DEVICE.matcher(device.strip()).matches()) {
                throw new IllegalArgumentException("rag.model.device must be cpu, cuda, cuda:N or auto, was '"
                        + device + "'");
            }
            device = device.strip();
            try {
                LoadOptions.CpuWeights.fromName(weights);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rag.model.weights " + e.getMessage(), e);
            }
            try {
                LoadOptions.Decoder.fromName(decoder);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rag.model.decoder " + e.getMessage(), e);
            }
            try {
                LoadOptions.Prefill.fromName(prefill);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rag.model.prefill " + e.getMessage(), e);
            }
            if (path != null && path.toString().isBlank()) {
                path = null;
            }
        }

        /** {@link #weights} as the runtime's option. */
        public LoadOptions.CpuWeights cpuWeights() {
            return LoadOptions.CpuWeights.fromName(weights);
        }

        /** Everything the runtime is asked to load with. */
        public LoadOptions loadOptions() {
            return new LoadOptions(device, 0, cpuWeights(), LoadOptions.Decoder.fromName(decoder),
                    LoadOptions.Prefill.fromName(prefill));
        }
    }

    /**
     * How the language model answers ({@code rag.answer.*}): sampling, prompt and streaming. Greedy by default,
     * for answers that follow the passages as closely as the model can.
     *
     * @param temperature 0 for greedy decoding
     * @param topK keep the k most likely tokens; 0 disables
     * @param topP nucleus sampling mass; 1 disables
     * @param minP minimum probability relative to the top token; 0 disables
     * @param repetitionPenalty &gt; 1 discourages repeats; 1 disables
     * @param frequencyPenalty per earlier occurrence; 0 disables
     * @param presencePenalty once for any earlier occurrence; 0 disables
     * @param seed random seed for sampling
     * @param maxNewTokens most tokens of an answer; reserved out of the model's context
     * @param stop strings that end the answer
     * @param systemPrompt replaces the built-in system message when set
     * @param fewShotFile a JSON or YAML file holding a list of {@code {question, passages: [{title, headingPath,
     *     page, text}], answer}} examples
     * @param fewShot examples given as properties ({@code rag.answer.few-shot[0].question=...}), after the file's
     * @param builtInExample whether the built-in example is shown when no example is configured
     * @param streamTimeout how long {@code /api/ask/stream} may take before the stream is closed
     * @param streamThreads answers streamed at once; further requests queue
     * @param streamQueue streamed answers that may wait for a thread; beyond that, 503
     * @param historyTurns earlier turns of a conversation that a follow-up question is retrieved and answered
     *     with (the last ones sent); 0 ignores history
     */
    public record Answering(
            @DefaultValue("0") double temperature,
            @DefaultValue("0") int topK,
            @DefaultValue("1.0") double topP,
            @DefaultValue("0") double minP,
            @DefaultValue("1.0") double repetitionPenalty,
            @DefaultValue("0") double frequencyPenalty,
            @DefaultValue("0") double presencePenalty,
            @DefaultValue("0") long seed,
            @DefaultValue("512") int maxNewTokens,
            List<String> stop,
            String systemPrompt,
            Path fewShotFile,
            List<FewShotExample> fewShot,
            @DefaultValue("true") boolean builtInExample,
            @DefaultValue("5m") Duration streamTimeout,
            @DefaultValue("4") int streamThreads,
            @DefaultValue("32") int streamQueue,
            @DefaultValue("3") int historyTurns) {

        public Answering {
            stop = stop == null ? List.of() : List.copyOf(stop);
            fewShot = fewShot == null ? List.of() : List.copyOf(fewShot);
            try {
                new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, frequencyPenalty,
                        presencePenalty, seed, maxNewTokens, stop);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rag.answer.*: " + e.getMessage(), e);
            }
            if (streamTimeout == null || streamTimeout.isNegative() || streamTimeout.isZero()) {
                throw new IllegalArgumentException("rag.answer.stream-timeout must be positive, was " + streamTimeout);
            }
            if (streamThreads < 1 || streamQueue < 0) {
                throw new IllegalArgumentException("rag.answer.stream-threads must be >= 1 and "
                        + "rag.answer.stream-queue >= 0, were " + streamThreads + " and " + streamQueue);
            }
            if (historyTurns < 0 || historyTurns > AskService.MAX_HISTORY_TURNS) {
                throw new IllegalArgumentException("rag.answer.history-turns must be between 0 and "
                        + AskService.MAX_HISTORY_TURNS + ", was " + historyTurns);
            }
        }

        /** The sampling settings as the model takes them. */
        public SamplingParams sampling() {
            return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, frequencyPenalty,
                    presencePenalty, seed, maxNewTokens, stop);
        }
    }
}
