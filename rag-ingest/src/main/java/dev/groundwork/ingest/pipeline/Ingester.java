package dev.groundwork.ingest.pipeline;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.chunk.Chunker;
import dev.groundwork.ingest.chunk.DocumentRef;
import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.EmbeddedChunk;
import dev.groundwork.ingest.index.IndexedDocument;
import dev.groundwork.ingest.parse.DocumentParseException;
import dev.groundwork.ingest.parse.DocumentParser;
import dev.groundwork.ingest.parse.ParsedDocument;
import dev.groundwork.model.embed.Embedder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Incremental ingestion: parse → chunk → embed → index, one document at a time.
 *
 * <p>A document is identified by its source path within a collection ({@link DocumentRef#of}); the SHA-256 of its
 * bytes decides what happens: a file whose hash and embedding model match the indexed version is skipped without
 * parsing or embedding; a new or changed one is (re-)indexed in one atomic {@link DocumentIndex#put}; a document
 * whose file vanished is deleted.
 *
 * <p>Failures are per file: an unsupported, corrupt or encrypted file, or any error while processing it, becomes a
 * {@code FAILED} outcome naming the cause, and the run goes on. Nothing of a failed file is written; if an earlier
 * version of it is indexed, that version stays (a file caught mid-save should not wipe good content), and the
 * failure is reported so the user can fix it. Unsupported files are reported as failures too, so nobody wonders
 * why a file is missing from answers; hidden files and folders (name starting with '.') are ignored silently.
 *
 * <p>Thread-safe if its components are, but two runs over the same collection at once may race.
 */
public class Ingester {

    private final DocumentParser parser;
    private final Chunker chunker;
    private final Embedder embedder;
    private final DocumentIndex index;
    private final Clock clock;

    public Ingester(DocumentParser parser, Chunker chunker, Embedder embedder, DocumentIndex index) {
        this(parser, chunker, embedder, index, Clock.systemUTC());
    }

    /** With the clock that stamps {@link IndexedDocument#indexedAt()} and times the run. */
    public Ingester(DocumentParser parser, Chunker chunker, Embedder embedder, DocumentIndex index, Clock clock) {
        if (parser == null || chunker == null || embedder == null || index == null || clock == null) {
            throw new IllegalArgumentException("parser, chunker, embedder, index and clock are required");
        }
        this.parser = parser;
        this.chunker = chunker;
        this.embedder = embedder;
        this.index = index;
        this.clock = clock;
    }

    /**
     * Ingests every supported file under {@code dir} into {@code collection}; removes documents whose file vanished.
     *
     * @throws IllegalArgumentException if {@code dir} is not a readable folder
     */
    public IngestReport ingestDirectory(Path dir, String collection, IngestListener listener) {
        if (collection == null || collection.isBlank()) {
            throw new IllegalArgumentException("collection must not be blank");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder");
        }
        long startNanos = System.nanoTime();
        List<String> files;
        try {
            files = SourceWalker.walk(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the files under " + dir + ": " + e.getMessage(), e);
        }
        Map<String, IndexedDocument> indexed = index.documents(collection).stream()
                .collect(Collectors.toMap(IndexedDocument::source, Function.identity(), (a, b) -> a));
        // One pass in source order over files present and documents whose file is gone.
        TreeMap<String, Boolean> work = new TreeMap<>();
        indexed.keySet().forEach(source -> work.put(source, false));
        files.forEach(source -> work.put(source, true));

        listener.started(work.size());
        List<FileOutcome> outcomes = new ArrayList<>(work.size());
        long[] chunks = {0};
        for (Map.Entry<String, Boolean> item : work.entrySet()) {
            String source = item.getKey();
            IndexedDocument existing = indexed.get(source);
            FileOutcome outcome = item.getValue()
                    ? ingest(collection, source, existing, new FileContent(dir.resolve(source)), chunks)
                    : deleted(existing);
            outcomes.add(outcome);
            listener.fileDone(outcome, outcomes.size(), chunks[0]);
        }
        return new IngestReport(collection, outcomes, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /**
     * Ingests one uploaded document. Failures are reported in the outcome, never half-written.
     *
     * @param source the document's path within the collection; '\' is taken as '/'
     */
    public FileOutcome ingestFile(String collection, String source, InputStream content) {
        if (collection == null || collection.isBlank() || source == null || source.isBlank()) {
            throw new IllegalArgumentException("collection and source must not be blank");
        }
        String normalised = source.replace('\\', '/').replaceAll("^/+", "");
        IndexedDocument existing = index.document(DocumentRef.idFor(collection, normalised)).orElse(null);
        return ingest(collection, normalised, existing, new UploadContent(content), new long[1]);
    }

    private FileOutcome ingest(String collection, String source, IndexedDocument existing, Content content,
            long[] chunksSoFar) {
        DocumentRef ref = DocumentRef.of(collection, source);
        String fileName = source.substring(source.lastIndexOf('/') + 1);
        try {
            if (!parser.supports(fileName)) {
                return failed(ref, "unsupported format (" + extensionOf(fileName) + ")");
            }
            String hash = content.sha256();
            if (existing != null && hash.equals(existing.contentHash())
                    && embedder.modelId().equals(existing.embeddingModel())) {
                return new FileOutcome(source, ref.documentId(), FileOutcome.Status.UNCHANGED,
                        existing.chunkCount(), null);
            }
            ParsedDocument parsed = content.parse(parser, fileName);
            List<Chunk> chunks = chunker.chunk(ref, parsed);
            List<EmbeddedChunk> embedded = embed(source, chunks);
            index.put(new IndexedDocument(ref.documentId(), collection, source, parsed.title(), parsed.mediaType(),
                    hash, chunks.size(), embedder.modelId(), ref.acl(), clock.instant()), embedded);
            chunksSoFar[0] += chunks.size();
            FileOutcome.Status status = existing == null ? FileOutcome.Status.ADDED : FileOutcome.Status.UPDATED;
            return new FileOutcome(source, ref.documentId(), status, chunks.size(), null);
        } catch (Exception e) { // any failure is this file's alone; the run goes on
            return failed(ref, describe(fileName, e));
        }
    }

    private List<EmbeddedChunk> embed(String source, List<Chunk> chunks) {
        if (chunks.isEmpty()) {
            return List.of();
        }
        List<float[]> vectors = embedder.embedAll(chunks.stream().map(Chunk::text).toList());
        if (vectors.size() != chunks.size()) {
            throw new IllegalStateException("embedder " + embedder.modelId() + " returned " + vectors.size()
                    + " vectors for " + chunks.size() + " chunks of " + source);
        }
        List<EmbeddedChunk> embedded = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            embedded.add(new EmbeddedChunk(chunks.get(i), vectors.get(i)));
        }
        return embedded;
    }

    private FileOutcome deleted(IndexedDocument existing) {
        try {
            index.delete(existing.documentId());
            return new FileOutcome(existing.source(), existing.documentId(), FileOutcome.Status.DELETED, 0, null);
        } catch (RuntimeException e) {
            return new FileOutcome(existing.source(), existing.documentId(), FileOutcome.Status.FAILED, 0,
                    "could not remove the deleted file from the index: " + e.getMessage());
        }
    }

    private static FileOutcome failed(DocumentRef ref, String reason) {
        return new FileOutcome(ref.source(), ref.documentId(), FileOutcome.Status.FAILED, 0, reason);
    }

    /** The cause in words, naming the file unless the message already does. */
    private static String describe(String fileName, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.contains(fileName) ? message : fileName + ": " + message;
    }

    private static String extensionOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot <= 0 ? "no file extension" : fileName.substring(dot);
    }

    /** Where a document's bytes come from: a file (hashed by streaming, parsed from disk) or an upload. */
    private interface Content {
        String sha256() throws IOException;

        ParsedDocument parse(DocumentParser parser, String fileName) throws DocumentParseException, IOException;
    }

    private record FileContent(Path file) implements Content {
        @Override
        public String sha256() throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                return ContentHash.sha256(in);
            }
        }

        @Override
        public ParsedDocument parse(DocumentParser parser, String fileName) throws DocumentParseException {
            return parser.parse(file);
        }
    }

    private static final class UploadContent implements Content {
        private final InputStream in;
        private byte[] bytes;

        UploadContent(InputStream in) {
            this.in = in;
        }

        @Override
        public String sha256() throws IOException {
            bytes = in.readAllBytes();
            return ContentHash.sha256(new ByteArrayInputStream(bytes));
        }

        @Override
        public ParsedDocument parse(DocumentParser parser, String fileName) throws DocumentParseException {
            return parser.parse(new ByteArrayInputStream(bytes), fileName);
        }
    }
}
