package dev.groundwork.ingest.cli;

import dev.groundwork.ingest.chunk.Chunker;
import dev.groundwork.ingest.chunk.ChunkingOptions;
import dev.groundwork.ingest.chunk.TokenBudgetChunker;
import dev.groundwork.ingest.parse.DocumentParser;
import dev.groundwork.ingest.parse.TikaDocumentParser;
import dev.groundwork.model.embed.Embedder;
import dev.groundwork.model.embed.OnnxSentenceEmbedder;
import dev.groundwork.model.tokenize.TokenCounter;
import java.nio.file.Path;

/**
 * Builds the parser, embedder and chunker the CLI ingests with; tests pass their own, production uses
 * {@link #production()}.
 */
public interface IngestComponents {

    DocumentParser parser();

    /**
     * @param modelDir a sentence-transformers ONNX model folder, or {@code null} for the bundled default
     */
    Embedder embedder(Path modelDir);

    Chunker chunker(TokenCounter tokens, ChunkingOptions options);

    /** Tika, all-MiniLM-L6-v2 (or the given model folder) and the token-budget chunker. */
    static IngestComponents production() {
        return new IngestComponents() {
            @Override
            public DocumentParser parser() {
                return new TikaDocumentParser();
            }

            @Override
            public Embedder embedder(Path modelDir) {
                return modelDir == null ? OnnxSentenceEmbedder.allMiniLmL6V2()
                        : OnnxSentenceEmbedder.fromDirectory(modelDir);
            }

            @Override
            public Chunker chunker(TokenCounter tokens, ChunkingOptions options) {
                return new TokenBudgetChunker(tokens, options);
            }
        };
    }
}
