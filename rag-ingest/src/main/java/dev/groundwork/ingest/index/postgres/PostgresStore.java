package dev.groundwork.ingest.index.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.groundwork.ingest.index.lucene.Bm25Mirror;
import dev.groundwork.ingest.retrieve.FusionOptions;
import dev.groundwork.ingest.retrieve.RetrievalModes;
import dev.groundwork.model.embed.Embedder;
import java.nio.file.Path;

/**
 * Everything one process needs of the PostgreSQL store: a connection pool, the {@link PostgresIndex}, and a
 * local BM25 mirror kept in step by {@link Bm25Sync}. Closing it closes the mirror and the pool.
 * Thread-safe.
 */
public final class PostgresStore implements AutoCloseable {

    private final HikariDataSource pool;
    private final PostgresIndex index;
    private final Bm25Mirror mirror;
    private final Bm25Sync sync;

    private PostgresStore(HikariDataSource pool, PostgresIndex index, Bm25Mirror mirror) {
        this.pool = pool;
        this.index = index;
        this.mirror = mirror;
        this.sync = new Bm25Sync(index, mirror);
    }

    /**
     * Connects, migrates the schema and opens (or rebuilds) the BM25 mirror.
     *
     * @param jdbcUrl e.g. {@code jdbc:postgresql://host:5432/groundwork}
     * @param user database user, or {@code null} when the URL carries it
     * @param password password, or {@code null}
     * @param mirrorDir folder of this process's BM25 mirror (not shared between processes)
     */
    public static PostgresStore open(String jdbcUrl, String user, String password, Path mirrorDir) {
        HikariDataSource pool = pool(jdbcUrl, user, password);
        try {
            PostgresIndex index = PostgresIndex.open(pool);
            Bm25Mirror mirror = Bm25Mirror.open(mirrorDir);
            PostgresStore store = new PostgresStore(pool, index, mirror);
            try {
                store.sync.catchUp();
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            return store;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** A small pool: each put and search holds one connection for one transaction. */
    public static HikariDataSource pool(String jdbcUrl, String user, String password) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the JDBC URL must start with jdbc:postgresql:, was " + jdbcUrl);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(8);
        config.setPoolName("groundwork-postgres");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new PostgresStoreException("cannot connect to " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    public PostgresIndex index() {
        return index;
    }

    public Bm25Sync sync() {
        return sync;
    }

    /** BM25 (the caught-up mirror), pgvector HNSW, and their fusion, as in the embedded store. */
    public RetrievalModes modes(Embedder embedder, FusionOptions fusion) {
        return RetrievalModes.of(sync.bm25Retriever(), index.vectorRetriever(embedder), fusion);
    }

    @Override
    public void close() {
        try (HikariDataSource p = pool; Bm25Mirror m = mirror) {
            // closes the mirror, then the pool
        }
    }
}
