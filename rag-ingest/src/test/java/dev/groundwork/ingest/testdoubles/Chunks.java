package dev.groundwork.ingest.testdoubles;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.chunk.DocumentRef;
import dev.groundwork.ingest.index.EmbeddedChunk;
import dev.groundwork.ingest.index.IndexedDocument;
import dev.groundwork.model.embed.Embedder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds indexed documents with embedded chunks for index and retriever tests. */
public final class Chunks {

    private Chunks() {
    }

    /** A document of {@code source} in {@code collection} whose chunks are {@code texts}, embedded by {@code embedder}. */
    public static Doc doc(Embedder embedder, String collection, String source, String... texts) {
        DocumentRef ref = DocumentRef.of(collection, source);
        List<EmbeddedChunk> chunks = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < texts.length; i++) {
            Chunk chunk = new Chunk(ref.documentId() + "#" + i, ref.documentId(), collection, source,
                    "Title of " + source, List.of("Part", "Section " + i), i + 1, offset, offset + texts[i].length(),
                    texts[i], List.of("team-a"), i);
            offset += texts[i].length() + 2;
            chunks.add(new EmbeddedChunk(chunk, embedder.embed(texts[i])));
        }
        IndexedDocument document = new IndexedDocument(ref.documentId(), collection, source, "Title of " + source,
                "text/plain", "hash-" + String.join("|", texts).hashCode(), texts.length, embedder.modelId(),
                List.of("team-a"), Instant.parse("2026-01-02T03:04:05.123456789Z"));
        return new Doc(document, chunks);
    }

    public record Doc(IndexedDocument document, List<EmbeddedChunk> chunks) {
    }
}
