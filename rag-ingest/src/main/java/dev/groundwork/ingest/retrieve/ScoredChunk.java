package dev.groundwork.ingest.retrieve;

import dev.groundwork.ingest.chunk.Chunk;

/**
 * A retrieved chunk with its score and, for fused results, its rank in each contributing list.
 *
 * @param chunk the chunk
 * @param score the retriever's score (BM25, cosine, or fused); higher is better
 * @param bm25Rank 1-based rank in the BM25 list, or {@code null} if it was not there
 * @param vectorRank 1-based rank in the vector list, or {@code null} if it was not there
 */
public record ScoredChunk(Chunk chunk, double score, Integer bm25Rank, Integer vectorRank) {
}
