package dev.groundwork.ingest.index.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.DocumentIndexContract;
import dev.groundwork.ingest.index.lucene.Bm25Mirror;
import dev.groundwork.ingest.retrieve.Retriever;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against a real PostgreSQL + pgvector, BM25 through a caught-up Lucene mirror. */
@ExtendWith(PostgresExtension.class)
class PostgresIndexContractTest extends DocumentIndexContract {

    @TempDir
    Path mirrorDir;

    private PostgresIndex index;
    private Bm25Mirror mirror;
    private Bm25Sync sync;

    @BeforeEach
    void open(HikariDataSource database) {
        index = PostgresIndex.open(database);
        mirror = Bm25Mirror.open(mirrorDir);
        sync = new Bm25Sync(index, mirror);
    }

    @AfterEach
    void close() {
        mirror.close();
        index.close();
    }

    @Override
    protected DocumentIndex index() {
        return index;
    }

    @Override
    protected Retriever bm25() {
        return sync.bm25Retriever();
    }

    @Override
    protected Retriever vector() {
        return index.vectorRetriever(embedder);
    }
}
