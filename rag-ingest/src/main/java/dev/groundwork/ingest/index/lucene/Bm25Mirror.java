package dev.groundwork.ingest.index.lucene;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleUnaryOperator;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * A local, BM25-only copy of the chunks of another store (PostgreSQL), with the same fields and analyzers as
 * {@link LuceneIndex} so keyword ranking is identical in both deployments.
 *
 * <p>The mirror remembers, in its Lucene commit, which store it copies ({@link #sourceId()}) and the sequence
 * number of the last change it applied ({@link #appliedSequence()}). A batch of changes and the new sequence are
 * committed together, so after a crash the mirror is at an older sequence with the matching content, and
 * re-applying the changes since then (which replace whole documents) is harmless.
 *
 * <p>Thread-safe: writes are serialised, searches run concurrently on the last committed state. One process per
 * folder (Lucene's write lock).
 */
public final class Bm25Mirror implements AutoCloseable {

    private static final String SEQUENCE_KEY = "applied_sequence";
    private static final String SOURCE_KEY = "source_id";

    private final Path folder;
    private final Analyzer analyzer = LuceneDocuments.analyzer();
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile long appliedSequence;
    private volatile String sourceId;

    private Bm25Mirror(Path folder) throws IOException {
        this.folder = folder;
        Files.createDirectories(folder);
        this.directory = FSDirectory.open(folder);
        try {
            this.writer = new IndexWriter(directory, new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
        } catch (LockObtainFailedException e) {
            directory.close();
            throw new IllegalStateException("BM25 mirror folder " + folder + " is in use by another process", e);
        }
        Map<String, String> userData = new HashMap<>();
        Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
        if (live != null) {
            live.forEach(e -> userData.put(e.getKey(), e.getValue()));
        }
        this.appliedSequence = Long.parseLong(userData.getOrDefault(SEQUENCE_KEY, "0"));
        this.sourceId = userData.get(SOURCE_KEY);
        if (!DirectoryReader.indexExists(directory)) {
            writer.commit();
        }
        this.searchers = new SearcherManager(writer, null);
    }

    /** Opens (creating if needed) a mirror in {@code folder}. */
    public static Bm25Mirror open(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        try {
            return new Bm25Mirror(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the BM25 mirror in " + absolute + ": " + e.getMessage(), e);
        }
    }

    /** Sequence number of the last change applied; 0 for a new or reset mirror. */
    public long appliedSequence() {
        return appliedSequence;
    }

    /** Identity of the store this mirror copies, or {@code null} for a new mirror. */
    public String sourceId() {
        return sourceId;
    }

    /** BM25 over the mirrored chunks, exactly as {@link LuceneIndex#bm25Retriever()}. */
    public Retriever bm25Retriever() {
        return new Bm25Retriever(this::searchChunks, analyzer);
    }

    /**
     * Replaces the chunks of each given document (an empty list removes it) and records {@code sequence} as
     * applied, in one commit.
     *
     * @param documents chunks by document id, in the store's current state
     * @throws IllegalArgumentException if {@code source} is not the store this mirror copies or the sequence goes
     *     backwards
     */
    public void apply(String source, long sequence, Map<String, List<Chunk>> documents) {
        Objects.requireNonNull(source, "source");
        writeLock.lock();
        try {
            if (sourceId != null && !sourceId.equals(source)) {
                throw new IllegalArgumentException("the BM25 mirror in " + folder + " copies store " + sourceId
                        + ", not " + source + "; reset it first");
            }
            if (sequence < appliedSequence) {
                throw new IllegalArgumentException("sequence " + sequence + " is older than the applied "
                        + appliedSequence);
            }
            for (Map.Entry<String, List<Chunk>> doc : documents.entrySet()) {
                Term id = new Term(LuceneDocuments.DOC_ID, doc.getKey());
                if (doc.getValue().isEmpty()) {
                    writer.deleteDocuments(id);
                } else {
                    writer.updateDocuments(id, doc.getValue().stream().map(LuceneDocuments::textChunk).toList());
                }
            }
            commit(source, sequence);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the BM25 mirror in " + folder, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Empties the mirror and makes it a copy of {@code source} at sequence 0, for a rebuild. */
    public void reset(String source) {
        Objects.requireNonNull(source, "source");
        writeLock.lock();
        try {
            writer.deleteAll();
            sourceId = null;
            appliedSequence = 0;
            commit(source, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the BM25 mirror in " + folder, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Number of chunks mirrored. */
    public int chunkCount() {
        return withSearcher(searcher -> searcher.count(new MatchAllDocsQuery()));
    }

    @Override
    public void close() {
        writeLock.lock();
        try (Directory d = directory; IndexWriter w = writer; SearcherManager s = searchers) {
            // closes all three, manager first
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the BM25 mirror in " + folder, e);
        } finally {
            writeLock.unlock();
        }
    }

    private void commit(String source, long sequence) throws IOException {
        writer.setLiveCommitData(Map.of(SEQUENCE_KEY, Long.toString(sequence), SOURCE_KEY, source).entrySet());
        writer.commit();
        searchers.maybeRefreshBlocking();
        sourceId = source;
        appliedSequence = sequence;
    }

    private List<ScoredChunk> searchChunks(Query query, int n, boolean bm25, DoubleUnaryOperator score) {
        return withSearcher(searcher -> LuceneDocuments.topChunks(searcher, query, n, bm25, score));
    }

    private <T> T withSearcher(SearcherLease.Search<T> search) {
        return SearcherLease.search(searchers, "the BM25 mirror in " + folder, search);
    }
}
