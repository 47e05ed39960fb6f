package dev.groundwork.ingest.chunk;

/**
 * Token budget of the chunker, counted with the embedding model's tokenizer.
 *
 * @param maxTokens most content tokens per chunk (must also fit the embedding model's window)
 * @param overlapTokens about this many tokens of the previous chunk's tail (whole sentences) start the next one
 */
public record ChunkingOptions(int maxTokens, int overlapTokens) {

    public ChunkingOptions {
        if (maxTokens < 16 || overlapTokens < 0 || overlapTokens >= maxTokens / 2) {
            throw new IllegalArgumentException("bad chunking options: maxTokens=" + maxTokens + ", overlapTokens="
                    + overlapTokens + " (need maxTokens >= 16 and overlap < maxTokens/2)");
        }
    }

    public static ChunkingOptions defaults() {
        return new ChunkingOptions(200, 30);
    }
}
