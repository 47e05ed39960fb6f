package dev.groundwork.api.search;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.retrieve.ScoredChunk;

/**
 * One result of {@code GET /api/search}.
 *
 * @param rank 1-based rank in the fused list
 * @param chunkId the chunk's id
 * @param documentId its document's id
 * @param source the document's source path within its collection
 * @param title the document's title
 * @param headingPath headings above the chunk joined with {@code " > "}; empty when none
 * @param page 1-based page for paginated formats, otherwise {@code null}
 * @param text the chunk's full text
 * @param score the fused score
 * @param bm25Rank rank in the BM25 list, or {@code null} if BM25 did not find it
 * @param vectorRank rank in the vector list, or {@code null} if vector search did not find it
 */
public record SearchHit(int rank, String chunkId, String documentId, String source, String title,
        String headingPath, Integer page, String text, double score, Integer bm25Rank, Integer vectorRank) {

    static SearchHit of(int rank, ScoredChunk hit) {
        Chunk chunk = hit.chunk();
        return new SearchHit(rank, chunk.id(), chunk.documentId(), chunk.source(), chunk.title(),
                chunk.headingPathText(), chunk.page(), chunk.text(), hit.score(), hit.bm25Rank(), hit.vectorRank());
    }
}
