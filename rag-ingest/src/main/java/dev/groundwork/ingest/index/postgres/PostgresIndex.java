package dev.groundwork.ingest.index.postgres;

import com.pgvector.PGvector;
import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.DocumentVersion;
import dev.groundwork.ingest.index.EmbeddedChunk;
import dev.groundwork.ingest.index.IndexedDocument;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.model.embed.Embedder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL + pgvector store: the system of record for collections, documents, chunks and embeddings,
 * shared by any number of rag-api replicas and ingest workers.
 *
 * <p>Each put or delete is one transaction: the document row, all of its chunks and a row in the {@code changes}
 * log, so a process killed at any moment leaves the old or the new version, never a mix. Writers of one document
 * are serialised by a transaction-scoped advisory lock on its id; the change row is appended under a second,
 * store-wide advisory lock held until commit, so change sequence numbers become visible in increasing order and a
 * reader that has seen sequence {@code n} has seen every change before it (see {@link Bm25Sync}).
 *
 * <p>The vector size is fixed by the first document with chunks: the embedding column becomes
 * {@code vector(n)} and gets its HNSW index (cosine), and later puts of another size are rejected.
 *
 * <p>Document times are kept to the microsecond (PostgreSQL's precision), truncated.
 *
 * <p>Thread-safe.
 */
public final class PostgresIndex implements DocumentIndex {

    /** Advisory lock classes (first key of {@code pg_advisory_xact_lock(int, int)}). */
    private static final int DOCUMENT_LOCK = 0x6777_0001;
    private static final int CHANGES_LOCK = 0x6777_0002;

    private final DataSource dataSource;
    private final Transactions transactions;
    private final String storeId;
    private final AutoCloseable owned;
    private volatile int dimensions;

    private PostgresIndex(DataSource dataSource, AutoCloseable owned) {
        this.dataSource = dataSource;
        this.owned = owned;
        this.transactions = new Transactions(dataSource);
        record Info(String storeId, int dimensions) {
        }
        Info info = transactions.run("read the store's identity", c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT store_id, dimensions FROM store_info WHERE id = 1")) {
                rs.next();
                return new Info(rs.getString(1), rs.getInt(2));
            }
        });
        this.storeId = info.storeId();
        this.dimensions = info.dimensions();
    }

    /**
     * Brings the schema up to date (Flyway, {@code classpath:db/migration}) and opens the store.
     *
     * @throws PostgresStoreException if the database cannot be reached or migrated (pgvector missing, say)
     */
    public static PostgresIndex open(DataSource dataSource) {
        migrate(dataSource);
        return new PostgresIndex(dataSource, () -> { });
    }

    /**
     * Connects with a pool of its own (closed by {@link #close()}), migrates and opens the store.
     *
     * @param user database user, or {@code null} when the URL carries it
     * @param password password, or {@code null}
     */
    public static PostgresIndex connect(String jdbcUrl, String user, String password) {
        com.zaxxer.hikari.HikariDataSource pool = PostgresStore.pool(jdbcUrl, user, password);
        try {
            migrate(pool);
            return new PostgresIndex(pool, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static void migrate(DataSource dataSource) {
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            throw new PostgresStoreException("cannot migrate the Groundwork schema: " + e.getMessage(), e);
        }
    }

    /** Identity of this database's store; BM25 mirrors remember it. */
    public String storeId() {
        return storeId;
    }

    /** HNSW cosine search inside PostgreSQL, the collection filter inside the query. */
    public Retriever vectorRetriever(Embedder embedder) {
        return new PgVectorRetriever(this, embedder, PgVectorRetriever.Scan.HNSW);
    }

    /** Exact (sequential) cosine search: slow, the reference that HNSW recall is measured against. */
    public Retriever exactVectorRetriever(Embedder embedder) {
        return new PgVectorRetriever(this, embedder, PgVectorRetriever.Scan.EXACT);
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public Optional<IndexedDocument> document(String documentId) {
        return transactions.run("read document " + documentId, c -> {
            try (PreparedStatement s = c.prepareStatement(ChunkRows.DOCUMENT_SELECT + "WHERE d.id = ?")) {
                s.setString(1, documentId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(ChunkRows.document(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<IndexedDocument> documents(String collection) {
        return transactions.run("list the documents of " + collection, c -> {
            try (PreparedStatement s = c.prepareStatement(ChunkRows.DOCUMENT_SELECT
                    + "WHERE col.name = ? ORDER BY d.source, d.id")) {
                s.setString(1, collection);
                List<IndexedDocument> found = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.add(ChunkRows.document(rs));
                    }
                }
                return found;
            }
        });
    }

    @Override
    public Set<String> collections() {
        return transactions.run("list collections", c -> {
            Set<String> names = new TreeSet<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM collections col "
                    + "WHERE EXISTS (SELECT 1 FROM documents d WHERE d.collection_id = col.id)")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
    }

    /** Distinct embedding model ids over all chunks, sorted: more than one means a re-embed is due. */
    public Set<String> embeddingModels() {
        return transactions.run("list embedding models", c -> {
            Set<String> models = new TreeSet<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT DISTINCT embedding_model FROM chunks")) {
                while (rs.next()) {
                    models.add(rs.getString(1));
                }
            }
            return models;
        });
    }

    @Override
    public void put(IndexedDocument document, List<EmbeddedChunk> chunks) {
        new DocumentVersion(document, chunks); // refuses inconsistent input before anything is written
        int size = chunks.isEmpty() ? 0 : chunks.get(0).vector().length;
        transactions.run("store " + document.source(), c -> {
            lockDocument(c, document.documentId());
            if (size > 0) {
                fixDimensions(c, size, document);
            }
            long collectionId = collectionId(c, document.collection());
            int version = currentVersion(c, document.documentId()) + 1;
            try (PreparedStatement s = c.prepareStatement("DELETE FROM chunks WHERE document_id = ?")) {
                s.setString(1, document.documentId());
                s.executeUpdate();
            }
            upsertDocument(c, document, collectionId, version);
            insertChunks(c, chunks, collectionId, document.embeddingModel());
            appendChange(c, document.documentId(), document.collection(), "put", version);
            return null;
        });
        if (size > 0) {
            dimensions = size; // only once committed: a rolled-back first put leaves the size unfixed
        }
    }

    @Override
    public boolean delete(String documentId) {
        return transactions.run("delete document " + documentId, c -> {
            lockDocument(c, documentId);
            String collection;
            int version;
            try (PreparedStatement s = c.prepareStatement("DELETE FROM documents d USING collections col "
                    + "WHERE d.id = ? AND col.id = d.collection_id RETURNING col.name, d.version")) {
                s.setString(1, documentId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    collection = rs.getString(1);
                    version = rs.getInt(2);
                }
            }
            // Chunks go with the document (ON DELETE CASCADE).
            appendChange(c, documentId, collection, "delete", version + 1);
            return true;
        });
    }

    /** Closes the pool if {@link #connect} made it; a data source given to {@link #open} belongs to the caller. */
    @Override
    public void close() {
        try {
            owned.close();
        } catch (Exception e) {
            throw new PostgresStoreException("cannot close the connection pool: " + e.getMessage(), e);
        }
    }

    /** Re-reads the vector size, which a {@link Reembedder} in any process may have changed. */
    int refreshDimensions() {
        dimensions = transactions.run("read the vector size", c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT dimensions FROM store_info WHERE id = 1")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        return dimensions;
    }

    Transactions transactions() {
        return transactions;
    }

    DataSource dataSource() {
        return dataSource;
    }

    static void lockDocument(Connection c, String documentId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            s.setInt(1, DOCUMENT_LOCK);
            s.setString(2, documentId);
            s.execute();
        }
    }

    /** Fixes the vector size on the first put (column type and HNSW index), or checks it against the fixed one. */
    private void fixDimensions(Connection c, int size, IndexedDocument document) throws SQLException {
        int fixed;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT dimensions FROM store_info WHERE id = 1 FOR UPDATE")) {
            rs.next();
            fixed = rs.getInt(1);
        }
        if (fixed == 0) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(" + size + ")");
                s.execute("CREATE INDEX chunks_embedding_hnsw ON chunks USING hnsw (embedding vector_cosine_ops)");
                s.execute("UPDATE store_info SET dimensions = " + size + " WHERE id = 1");
            }
        } else if (fixed != size) {
            dimensions = fixed;
            throw new IllegalArgumentException("document " + document.source() + " has " + size
                    + "-dimensional vectors (model " + document.embeddingModel() + ") but the PostgreSQL store holds "
                    + fixed + "-dimensional vectors; re-embed the store (reembed command) to change the model size");
        } else {
            dimensions = fixed;
        }
    }

    private static long collectionId(Connection c, String name) throws SQLException {
        // DO UPDATE (a no-op) rather than DO NOTHING so that RETURNING yields the existing row's id too.
        try (PreparedStatement s = c.prepareStatement("INSERT INTO collections (name) VALUES (?) "
                + "ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The document's version, or the last version recorded in the change log for a deleted one, or 0. */
    private static int currentVersion(Connection c, String documentId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT GREATEST("
                + "(SELECT version FROM documents WHERE id = ?), "
                + "(SELECT max(version) FROM changes WHERE document_id = ?), 0)")) {
            s.setString(1, documentId);
            s.setString(2, documentId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void upsertDocument(Connection c, IndexedDocument d, long collectionId, int version)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO documents (id, collection_id, source, title, "
                + "media_type, content_hash, acl, status, version, chunk_count, embedding_model, indexed_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, 'indexed', ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                + "collection_id = EXCLUDED.collection_id, source = EXCLUDED.source, title = EXCLUDED.title, "
                + "media_type = EXCLUDED.media_type, content_hash = EXCLUDED.content_hash, acl = EXCLUDED.acl, "
                + "status = EXCLUDED.status, version = EXCLUDED.version, chunk_count = EXCLUDED.chunk_count, "
                + "embedding_model = EXCLUDED.embedding_model, indexed_at = EXCLUDED.indexed_at")) {
            s.setString(1, d.documentId());
            s.setLong(2, collectionId);
            s.setString(3, d.source());
            s.setString(4, d.title());
            s.setString(5, d.mediaType());
            s.setString(6, d.contentHash());
            s.setArray(7, c.createArrayOf("text", d.acl().toArray()));
            s.setInt(8, version);
            s.setInt(9, d.chunkCount());
            s.setString(10, d.embeddingModel());
            // PostgreSQL keeps microseconds and would round; truncate so the stored time is never later.
            s.setTimestamp(11, Timestamp.from(d.indexedAt().truncatedTo(ChronoUnit.MICROS)));
            s.executeUpdate();
        }
    }

    private static void insertChunks(Connection c, List<EmbeddedChunk> chunks, long collectionId, String model)
            throws SQLException {
        if (chunks.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO chunks (id, document_id, collection_id, ordinal, "
                + "heading_path, page, start_offset, end_offset, text, acl, embedding, embedding_model) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (EmbeddedChunk embedded : chunks) {
                Chunk k = embedded.chunk();
                s.setString(1, k.id());
                s.setString(2, k.documentId());
                s.setLong(3, collectionId);
                s.setInt(4, k.ordinal());
                s.setArray(5, c.createArrayOf("text", k.headingPath().toArray()));
                if (k.page() == null) {
                    s.setNull(6, java.sql.Types.INTEGER);
                } else {
                    s.setInt(6, k.page());
                }
                s.setInt(7, k.start());
                s.setInt(8, k.end());
                s.setString(9, k.text());
                s.setArray(10, c.createArrayOf("text", k.acl().toArray()));
                s.setObject(11, new PGvector(embedded.vector()));
                s.setString(12, model);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    static void appendChange(Connection c, String documentId, String collection, String kind, int version)
            throws SQLException {
        // Held until commit: the next writer's sequence number is drawn only after this one is visible.
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?, 0)")) {
            s.setInt(1, CHANGES_LOCK);
            s.execute();
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO changes (document_id, collection, kind, version) VALUES (?, ?, ?, ?)")) {
            s.setString(1, documentId);
            s.setString(2, collection);
            s.setString(3, kind);
            s.setInt(4, version);
            s.executeUpdate();
        }
    }
}
