package dev.groundwork.api.config;

import dev.groundwork.ingest.chunk.ChunkingOptions;
import dev.groundwork.ingest.retrieve.FusionOptions;
import java.nio.file.Path;
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
        Path embeddingModel) {

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
}
