package dev.groundwork.ingest.chunk;

import dev.groundwork.ingest.parse.ParsedDocument;
import java.util.List;

/** Splits a parsed document into chunks. Implementations are thread-safe and deterministic. */
public interface Chunker {

    /**
     * @return the document's chunks in order, ordinals from 0; empty if the document has no text
     */
    List<Chunk> chunk(DocumentRef ref, ParsedDocument document);
}
