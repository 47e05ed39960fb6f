package dev.groundwork.ingest.index.lucene;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.DocumentVersion;
import dev.groundwork.ingest.index.EmbeddedChunk;
import dev.groundwork.ingest.index.IndexedDocument;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.model.embed.Embedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;

/**
 * The embedded store: one Lucene index per data folder, under {@code dataDir/index}.
 *
 * <p>Each document is one block of Lucene docs (see {@link LuceneDocuments}) written with
 * {@link IndexWriter#updateDocuments} and committed at once, so a crash leaves either the old or the new version.
 * Chunk text is analysed with {@link EnglishAnalyzer} or, for mainly Chinese chunks, {@link SmartChineseAnalyzer};
 * vectors are indexed as HNSW with cosine similarity. The vector size and embedding model are kept in the commit
 * user data and a put with another vector size is rejected.
 *
 * <p>Thread-safe: writes are serialised, searches run concurrently on the latest committed state. Only one
 * process may open a data folder at a time (Lucene's write lock); a second gets an {@link IllegalStateException}
 * naming the folder.
 */
public final class LuceneIndex implements DocumentIndex {

    static final String DIMENSIONS_KEY = "dimensions";
    static final String MODEL_KEY = "embedding_model";

    private final Path folder;
    private final Analyzer analyzer;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile int dimensions;
    private volatile String embeddingModel;
    private volatile boolean closed;

    private LuceneIndex(Path folder) throws IOException {
        this.folder = folder;
        this.analyzer = LuceneDocuments.analyzer();
        Files.createDirectories(folder);
        this.directory = FSDirectory.open(folder);
        try {
            this.writer = new IndexWriter(directory, new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
        } catch (LockObtainFailedException e) {
            directory.close();
            throw new IllegalStateException("index folder " + folder + " is in use by another process or index"
                    + " instance (Lucene write lock held); close it first", e);
        }
        Map<String, String> userData = new HashMap<>();
        Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
        if (live != null) {
            live.forEach(e -> userData.put(e.getKey(), e.getValue()));
        }
        this.dimensions = Integer.parseInt(userData.getOrDefault(DIMENSIONS_KEY, "0"));
        this.embeddingModel = userData.get(MODEL_KEY);
        if (!DirectoryReader.indexExists(directory)) {
            writer.commit(); // so that readers of a fresh folder see a valid, empty index
        }
        this.searchers = new SearcherManager(writer, null);
    }

    /** Opens (creating if needed) the index under {@code dataDir/index}. */
    public static LuceneIndex open(Path dataDir) {
        Path folder = dataDir.resolve("index").toAbsolutePath().normalize();
        try {
            return new LuceneIndex(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the index in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** BM25 over chunk title, headings and text. */
    public Retriever bm25Retriever() {
        return new Bm25Retriever(this::searchChunks, analyzer);
    }

    /** HNSW cosine search; queries are embedded with {@code embedder}. */
    public Retriever vectorRetriever(Embedder embedder) {
        return new VectorRetriever(this, embedder);
    }

    /** The folder holding the Lucene files. */
    public Path folder() {
        return folder;
    }

    /** Id of the model that embedded the most recent put, or {@code null} while nothing was stored. */
    public String embeddingModel() {
        return embeddingModel;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public Optional<IndexedDocument> document(String documentId) {
        List<IndexedDocument> found = documentsMatching(new TermQuery(new Term(LuceneDocuments.DOC_ID, documentId)));
        return found.stream().findFirst();
    }

    @Override
    public List<IndexedDocument> documents(String collection) {
        List<IndexedDocument> found =
                documentsMatching(new TermQuery(new Term(LuceneDocuments.COLLECTION, collection)));
        return found.stream()
                .sorted(Comparator.comparing(IndexedDocument::source).thenComparing(IndexedDocument::documentId))
                .toList();
    }

    @Override
    public Set<String> collections() {
        return withSearcher(searcher -> {
            Set<String> names = new TreeSet<>();
            Terms terms = MultiTerms.getTerms(searcher.getIndexReader(), LuceneDocuments.COLLECTION);
            if (terms == null) {
                return names;
            }
            // The terms dictionary still lists collections whose documents were deleted until segments merge.
            TermsEnum it = terms.iterator();
            for (BytesRef term = it.next(); term != null; term = it.next()) {
                String name = term.utf8ToString();
                if (searcher.count(new TermQuery(new Term(LuceneDocuments.COLLECTION, name))) > 0) {
                    names.add(name);
                }
            }
            return names;
        });
    }

    @Override
    public void put(IndexedDocument document, List<EmbeddedChunk> chunks) {
        putAll(List.of(new DocumentVersion(document, chunks)));
    }

    /** Writes each document as one block and commits once: all of them are durable together, or none is. */
    @Override
    public void putAll(List<DocumentVersion> versions) {
        // Each DocumentVersion was checked when it was made: nothing inconsistent reaches the writer.
        writeLock.lock();
        try {
            ensureOpen();
            int size = dimensions;
            String model = embeddingModel;
            for (DocumentVersion version : versions) {
                IndexedDocument document = version.document();
                List<EmbeddedChunk> chunks = version.chunks();
                if (chunks.isEmpty()) {
                    continue;
                }
                int vectorSize = chunks.get(0).vector().length;
                if (size != 0 && vectorSize != size) {
                    throw new IllegalArgumentException("document " + document.source() + " has " + vectorSize
                            + "-dimensional vectors (model " + document.embeddingModel() + ") but the index in "
                            + folder + " holds " + size + "-dimensional vectors (model " + model
                            + "); re-create the index to change the embedding model");
                }
                size = vectorSize;
                model = document.embeddingModel();
            }
            for (DocumentVersion version : versions) {
                writer.updateDocuments(new Term(LuceneDocuments.DOC_ID, version.document().documentId()),
                        LuceneDocuments.block(version.document(), version.chunks()));
            }
            if (size != 0 && model != null) {
                writer.setLiveCommitData(Map.of(DIMENSIONS_KEY, Integer.toString(size), MODEL_KEY, model).entrySet());
            }
            commit();
            dimensions = size;
            embeddingModel = model;
        } catch (IOException e) {
            rollbackQuietly(e);
            String what = versions.size() == 1 ? versions.get(0).document().source() : versions.size() + " documents";
            throw new UncheckedIOException("cannot store " + what + " in " + folder, e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public boolean delete(String documentId) {
        writeLock.lock();
        try {
            ensureOpen();
            boolean existed = document(documentId).isPresent();
            if (existed) {
                writer.deleteDocuments(new Term(LuceneDocuments.DOC_ID, documentId));
                commit();
            }
            return existed;
        } catch (IOException e) {
            rollbackQuietly(e);
            throw new UncheckedIOException("cannot delete document " + documentId + " from " + folder, e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try (Directory d = directory; IndexWriter w = writer; SearcherManager s = searchers) {
                // try-with-resources closes all three, manager first, even if one of them fails
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the index in " + folder, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs a chunk search, best first with ties broken by chunk id; {@code bm25} says which rank to fill. */
    List<ScoredChunk> searchChunks(Query query, int n, boolean bm25, java.util.function.DoubleUnaryOperator score) {
        return withSearcher(searcher -> LuceneDocuments.topChunks(searcher, query, n, bm25, score));
    }

    /** The restriction every chunk search carries: chunks only, and of one collection when one is given. */
    static Query chunkFilter(String collection) {
        BooleanQuery.Builder filter = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(LuceneDocuments.KIND, LuceneDocuments.KIND_CHUNK)),
                        BooleanClause.Occur.FILTER);
        if (collection != null) {
            filter.add(new TermQuery(new Term(LuceneDocuments.COLLECTION, collection)), BooleanClause.Occur.FILTER);
        }
        return filter.build();
    }

    private List<IndexedDocument> documentsMatching(Query query) {
        Query metadata = new BooleanQuery.Builder()
                .add(query, BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(LuceneDocuments.KIND, LuceneDocuments.KIND_DOCUMENT)),
                        BooleanClause.Occur.FILTER)
                .build();
        return withSearcher(searcher -> {
            int count = searcher.count(metadata);
            if (count == 0) {
                return List.of();
            }
            StoredFields stored = searcher.storedFields();
            List<IndexedDocument> found = new ArrayList<>(count);
            for (ScoreDoc hit : searcher.search(metadata, count).scoreDocs) {
                Document doc = stored.document(hit.doc);
                found.add(LuceneDocuments.toIndexedDocument(doc));
            }
            return found;
        });
    }

    private void commit() throws IOException {
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    private void rollbackQuietly(IOException cause) {
        // A failed commit leaves uncommitted changes in the writer; dropping them keeps the index at its last
        // committed state. Rollback also closes the writer, so the index must be reopened afterwards.
        try {
            closed = true;
            writer.rollback();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the index in " + folder + " is closed");
        }
    }

    private <T> T withSearcher(SearcherLease.Search<T> search) {
        ensureOpen();
        return SearcherLease.search(searchers, "the index in " + folder, search);
    }
}
