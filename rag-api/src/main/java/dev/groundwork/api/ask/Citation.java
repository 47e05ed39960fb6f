package dev.groundwork.api.ask;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.retrieve.ScoredChunk;

/**
 * One cited passage, as the client sees it.
 *
 * @param id the number used in the answer's {@code [n]} markers, from 1
 * @param chunkId id of the cited chunk
 * @param documentId id of the chunk's document
 * @param source the document's source path within its collection
 * @param title the document's title
 * @param headingPath headings above the passage joined with {@code " > "}; empty when none
 * @param page 1-based page for paginated formats, otherwise {@code null}
 * @param snippet the cited text with a little context, at most about 300 characters
 * @param score the retrieval score of the passage
 */
public record Citation(int id, String chunkId, String documentId, String source, String title, String headingPath,
        Integer page, String snippet, double score) {

    public Citation {
        if (id < 1) {
            throw new IllegalArgumentException("citation id must be >= 1, was " + id);
        }
    }

    /** Cites a retrieved passage. */
    public static Citation of(int id, ScoredChunk passage, String snippet) {
        Chunk chunk = passage.chunk();
        return new Citation(id, chunk.id(), chunk.documentId(), chunk.source(), chunk.title(),
                chunk.headingPathText(), chunk.page(), snippet, passage.score());
    }
}
