package dev.groundwork.api.support;

import dev.groundwork.api.documents.DocumentIngestion;
import dev.groundwork.ingest.chunk.DocumentRef;
import dev.groundwork.ingest.pipeline.FileOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Ingestion of {@code .txt} and {@code .md} only: each blank-line-separated paragraph becomes a chunk in the
 * {@link InMemoryIndex}; a file whose text starts with {@code CORRUPT} fails, as a broken file would.
 */
public final class FakeIngestion implements DocumentIngestion {

    private final InMemoryIndex index;
    private final List<String> ingested = new ArrayList<>();

    public FakeIngestion(InMemoryIndex index) {
        this.index = index;
    }

    public synchronized List<String> ingested() {
        return List.copyOf(ingested);
    }

    public synchronized void clear() {
        ingested.clear();
    }

    @Override
    public boolean supports(String fileName) {
        return fileName.endsWith(".txt") || fileName.endsWith(".md");
    }

    @Override
    public synchronized FileOutcome ingest(String collection, String source, InputStream content) {
        String text;
        try {
            text = new String(content.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String id = DocumentRef.idFor(collection, source);
        if (text.startsWith("CORRUPT")) {
            return new FileOutcome(source, id, FileOutcome.Status.FAILED, 0, source + ": not a readable document");
        }
        boolean existed = index.document(id).isPresent();
        String[] paragraphs = text.strip().split("\\n\\s*\\n");
        index.add(collection, source, source, paragraphs);
        ingested.add(collection + "/" + source);
        return new FileOutcome(source, id, existed ? FileOutcome.Status.UPDATED : FileOutcome.Status.ADDED,
                paragraphs.length, null);
    }
}
