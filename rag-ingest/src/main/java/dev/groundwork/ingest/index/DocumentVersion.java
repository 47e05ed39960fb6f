package dev.groundwork.ingest.index;

import java.util.List;

/** One document as it should be stored: its record and all its embedded chunks. */
public record DocumentVersion(IndexedDocument document, List<EmbeddedChunk> chunks) {

    public DocumentVersion {
        if (document == null) {
            throw new IllegalArgumentException("document is required");
        }
        chunks = List.copyOf(chunks);
    }
}
