package dev.groundwork.api.support;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.EmbeddedChunk;
import dev.groundwork.ingest.index.IndexedDocument;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A {@link DocumentIndex} in a map, for web tests; {@link #chunks()} feeds {@link KeywordRetriever}. */
public final class InMemoryIndex implements DocumentIndex {

    private final Map<String, IndexedDocument> documents = new LinkedHashMap<>();
    private final Map<String, List<Chunk>> chunks = new LinkedHashMap<>();

    public synchronized void clear() {
        documents.clear();
        chunks.clear();
    }

    /** Stores a document with chunks made of the given texts, one chunk per text. */
    public synchronized IndexedDocument add(String collection, String source, String title, String... texts) {
        String id = dev.groundwork.ingest.chunk.DocumentRef.idFor(collection, source);
        List<EmbeddedChunk> embedded = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < texts.length; i++) {
            Chunk chunk = new Chunk(id + "#" + i, id, collection, source, title, List.of(title), null, offset,
                    offset + texts[i].length(), texts[i], List.of(), i);
            offset += texts[i].length();
            embedded.add(new EmbeddedChunk(chunk, new float[] {1f}));
        }
        IndexedDocument document = new IndexedDocument(id, collection, source, title, "text/plain", "hash-" + source,
                texts.length, "fake-model", List.of(), java.time.Instant.parse("2026-01-02T03:04:05Z"));
        put(document, embedded);
        return document;
    }

    public synchronized List<Chunk> chunks() {
        return chunks.values().stream().flatMap(List::stream).toList();
    }

    @Override
    public synchronized Optional<IndexedDocument> document(String documentId) {
        return Optional.ofNullable(documents.get(documentId));
    }

    @Override
    public synchronized List<IndexedDocument> documents(String collection) {
        return documents.values().stream().filter(d -> d.collection().equals(collection))
                .sorted(Comparator.comparing(IndexedDocument::source)).toList();
    }

    @Override
    public synchronized Set<String> collections() {
        Set<String> names = new TreeSet<>();
        documents.values().forEach(d -> names.add(d.collection()));
        return names;
    }

    @Override
    public synchronized void put(IndexedDocument document, List<EmbeddedChunk> embedded) {
        documents.put(document.documentId(), document);
        chunks.put(document.documentId(), embedded.stream().map(EmbeddedChunk::chunk).toList());
    }

    @Override
    public synchronized boolean delete(String documentId) {
        chunks.remove(documentId);
        return documents.remove(documentId) != null;
    }

    @Override
    public int dimensions() {
        return 1;
    }

    @Override
    public void close() {
    }
}
