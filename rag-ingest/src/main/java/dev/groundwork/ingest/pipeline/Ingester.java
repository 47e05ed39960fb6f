package dev.groundwork.ingest.pipeline;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.chunk.Chunker;
import dev.groundwork.ingest.chunk.DocumentRef;
import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.DocumentVersion;
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
 * parsing or embedding; a new or changed one is (re-)indexed atomically; a document whose file vanished is deleted.
 * Documents are embedded and stored in small batches ({@link DocumentIndex#putAll}): consecutive small files share
 * an embedding call and a commit, and each document is still written whole or not at all.
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

    /** A batch is stored once it holds this many files or chunks: enough to fill embedding batches, and to spread
     * the cost of a commit (tens of milliseconds) over many small files. */
    static final int BATCH_FILES = 32;
    static final int BATCH_CHUNKS = 64;

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
        // Outcomes in source order; a slot stays null while its document waits in the batch.
        List<FileOutcome> outcomes = new ArrayList<>(work.size());
        List<Pending> batch = new ArrayList<>();
        long[] chunks = {0};
        int reported = 0;
        for (Map.Entry<String, Boolean> item : work.entrySet()) {
            String source = item.getKey();
            IndexedDocument existing = indexed.get(source);
            if (item.getValue()) {
                Object prepared = prepare(collection, source, existing, new FileContent(dir.resolve(source)));
                if (prepared instanceof Pending pending) {
                    outcomes.add(null);
                    batch.add(pending.inSlot(outcomes.size() - 1));
                } else {
                    outcomes.add((FileOutcome) prepared);
                }
            } else {
                outcomes.add(deleted(existing));
            }
            if (batch.size() >= BATCH_FILES || batch.stream().mapToInt(b -> b.chunks.size()).sum() >= BATCH_CHUNKS) {
                store(batch, outcomes, chunks);
            }
            reported = report(listener, outcomes, reported, chunks[0]);
        }
        store(batch, outcomes, chunks);
        report(listener, outcomes, reported, chunks[0]);
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
        Object prepared = prepare(collection, normalised, existing, new UploadContent(content));
        if (prepared instanceof FileOutcome outcome) {
            return outcome;
        }
        List<FileOutcome> outcome = new ArrayList<>();
        outcome.add(null);
        store(new ArrayList<>(List.of(((Pending) prepared).inSlot(0))), outcome, new long[1]);
        return outcome.get(0);
    }

    /**
     * Hashes, and unless unchanged parses and chunks, one file.
     *
     * @return the file's final {@link FileOutcome} (unchanged or failed), or a {@link Pending} document to embed
     */
    private Object prepare(String collection, String source, IndexedDocument existing, Content content) {
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
            IndexedDocument document = new IndexedDocument(ref.documentId(), collection, source, parsed.title(),
                    parsed.mediaType(), hash, chunks.size(), embedder.modelId(), ref.acl(), clock.instant());
            return new Pending(document, chunks, existing == null ? FileOutcome.Status.ADDED : FileOutcome.Status.UPDATED,
                    fileName, -1);
        } catch (Exception e) { // any failure is this file's alone; the run goes on
            return failed(ref, describe(fileName, e));
        }
    }

    /**
     * Embeds the batch's chunks in one call and stores its documents in one {@link DocumentIndex#putAll}, then
     * fills their outcome slots and empties the batch. Small files thus share embedding batches and commits. If
     * the batch fails as a whole, each document is retried alone so that a failure stays with its own file.
     */
    private void store(List<Pending> batch, List<FileOutcome> outcomes, long[] chunksSoFar) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<String> texts = new ArrayList<>();
            batch.forEach(p -> p.chunks.forEach(c -> texts.add(c.text())));
            List<float[]> vectors = texts.isEmpty() ? List.of() : embedder.embedAll(texts);
            if (vectors.size() != texts.size()) {
                throw new IllegalStateException("embedder " + embedder.modelId() + " returned " + vectors.size()
                        + " vectors for " + texts.size() + " chunks");
            }
            List<DocumentVersion> versions = new ArrayList<>(batch.size());
            int next = 0;
            for (Pending p : batch) {
                List<EmbeddedChunk> embedded = new ArrayList<>(p.chunks.size());
                for (Chunk chunk : p.chunks) {
                    embedded.add(new EmbeddedChunk(chunk, vectors.get(next++)));
                }
                versions.add(new DocumentVersion(p.document, embedded));
            }
            index.putAll(versions);
            for (Pending p : batch) {
                outcomes.set(p.slot, new FileOutcome(p.document.source(), p.document.documentId(), p.status,
                        p.chunks.size(), null));
                chunksSoFar[0] += p.chunks.size();
            }
        } catch (Exception e) {
            if (batch.size() == 1) {
                Pending p = batch.get(0);
                outcomes.set(p.slot, new FileOutcome(p.document.source(), p.document.documentId(),
                        FileOutcome.Status.FAILED, 0, describe(p.fileName, e)));
            } else {
                for (Pending p : batch) {
                    store(new ArrayList<>(List.of(p)), outcomes, chunksSoFar);
                }
            }
        }
        batch.clear();
    }

    /** Tells the listener about every settled outcome after the last reported one; returns the new count. */
    private static int report(IngestListener listener, List<FileOutcome> outcomes, int reported, long chunks) {
        while (reported < outcomes.size() && outcomes.get(reported) != null) {
            reported++;
            listener.fileDone(outcomes.get(reported - 1), reported, chunks);
        }
        return reported;
    }

    /** A parsed and chunked document waiting for its batch to be embedded and stored. */
    private record Pending(IndexedDocument document, List<Chunk> chunks, FileOutcome.Status status, String fileName,
            int slot) {

        Pending inSlot(int newSlot) {
            return new Pending(document, chunks, status, fileName, newSlot);
        }
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
