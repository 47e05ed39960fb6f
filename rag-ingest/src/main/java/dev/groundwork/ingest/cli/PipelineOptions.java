package dev.groundwork.ingest.cli;

import dev.groundwork.ingest.chunk.ChunkingOptions;
import dev.groundwork.model.embed.Embedder;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The chunking and embedding options of every command that ingests (a picocli mixin). */
final class PipelineOptions {

    @Option(names = "--chunk-tokens", defaultValue = "200", description = "most tokens per chunk (default ${DEFAULT-VALUE})")
    int chunkTokens;

    @Option(names = "--overlap-tokens", defaultValue = "30",
            description = "tokens of overlap between chunks (default ${DEFAULT-VALUE})")
    int overlapTokens;

    @Option(names = "--embedding-model", paramLabel = "DIR",
            description = "ONNX sentence-transformers model folder (default: bundled all-MiniLM-L6-v2)")
    Path embeddingModel;

    /** @throws ParameterException (a usage error) for a budget the chunker refuses */
    ChunkingOptions chunking(CommandLine commandLine) {
        try {
            return new ChunkingOptions(chunkTokens, overlapTokens);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
    }

    /** The embedder these options name; the caller closes it. */
    Embedder embedder(IngestComponents components) {
        return components.embedder(embeddingModel);
    }

    /** @throws ParameterException if chunks of {@code --chunk-tokens} would not fit the embedder's window */
    void checkWindow(Embedder embedder, CommandLine commandLine) {
        if (chunkTokens > embedder.maxInputTokens()) {
            throw new ParameterException(commandLine, "--chunk-tokens " + chunkTokens + " exceeds the window of "
                    + embedder.modelId() + " (" + embedder.maxInputTokens() + ")");
        }
    }
}
