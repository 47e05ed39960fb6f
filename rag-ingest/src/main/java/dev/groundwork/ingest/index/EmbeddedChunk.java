package dev.groundwork.ingest.index;

import dev.groundwork.ingest.chunk.Chunk;

/** A chunk with its L2-normalised embedding. */
public record EmbeddedChunk(Chunk chunk, float[] vector) {

    public EmbeddedChunk {
        if (chunk == null || vector == null || vector.length == 0) {
            throw new IllegalArgumentException("chunk and vector are required");
        }
    }
}
