package dev.groundwork.ingest.index.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pgvector.PGvector;
import com.zaxxer.hikari.HikariDataSource;
import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.index.EmbeddedChunk;
import dev.groundwork.ingest.index.lucene.Bm25Mirror;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.testdoubles.Chunks;
import dev.groundwork.ingest.testdoubles.Chunks.Doc;
import dev.groundwork.ingest.testdoubles.HashingEmbedder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What only the PostgreSQL store does: the change log, mirrors, atomicity under failure, concurrent writers. */
@ExtendWith(PostgresExtension.class)
class PostgresIndexTest {

    @TempDir
    Path tmp;

    private final HashingEmbedder embedder = new HashingEmbedder();
    private HikariDataSource database;
    private PostgresIndex index;

    @BeforeEach
    void open(HikariDataSource database) {
        this.database = database;
        index = PostgresIndex.open(database);
    }

    @AfterEach
    void close() {
        index.close();
    }

    private Doc put(String collection, String source, String... texts) {
        Doc doc = Chunks.doc(embedder, collection, source, texts);
        index.put(doc.document(), doc.chunks());
        return doc;
    }

    private long query(String sql) throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void eachMirrorCatchesUpFromTheLastSequenceItApplied() throws SQLException {
        try (Bm25Mirror first = Bm25Mirror.open(tmp.resolve("a")); Bm25Mirror second = Bm25Mirror.open(tmp.resolve("b"))) {
            Bm25Sync a = new Bm25Sync(index, first);
            Bm25Sync b = new Bm25Sync(index, second);
            Doc doc = put("c", "one.txt", "original words", "more original words");
            put("c", "two.txt", "second document");
            a.catchUp();
            b.catchUp();

            put("c", "one.txt", "replacement words");
            index.delete(Chunks.doc(embedder, "c", "two.txt").document().documentId());
            assertThat(a.catchUp()).isEqualTo(2); // one put, one delete, nothing older re-read

            assertThat(first.appliedSequence()).isEqualTo(query("SELECT max(seq) FROM changes"));
            assertThat(first.chunkCount()).isEqualTo(1);
            assertThat(second.chunkCount()).isEqualTo(3); // not caught up yet: still the old state
            assertThat(b.bm25Retriever().retrieve(new RetrievalQuery("replacement", null, 5)))
                    .extracting(h -> h.chunk().id()).containsExactly(doc.document().documentId() + "#0");
            assertThat(second.chunkCount()).isEqualTo(1);
            assertThat(a.catchUp()).isZero();
        }
    }

    @Test
    void aMirrorIsRebuiltFromPostgresAloneAndNeverCopiesAnotherStore(HikariDataSource otherDatabase) {
        put("c", "one.txt", "alpha", "bravo");
        put("d", "two.txt", "charlie");
        try (Bm25Mirror mirror = Bm25Mirror.open(tmp.resolve("m"))) {
            Bm25Sync sync = new Bm25Sync(index, mirror);
            assertThat(sync.catchUp()).isEqualTo(2); // a new mirror is rebuilt from the documents table
            assertThat(mirror.chunkCount()).isEqualTo(3);
            assertThat(mirror.sourceId()).isEqualTo(index.storeId());

            PostgresIndex other = PostgresIndex.open(otherDatabase);
            Doc elsewhere = Chunks.doc(embedder, "x", "x.txt", "xray");
            other.put(elsewhere.document(), elsewhere.chunks());
            Bm25Sync foreign = new Bm25Sync(other, mirror);
            foreign.catchUp();
            assertThat(mirror.sourceId()).isEqualTo(other.storeId());
            assertThat(mirror.chunkCount()).isEqualTo(1);
            assertThatThrownBy(() -> mirror.apply(index.storeId(), 99, java.util.Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reset it first");
        }
    }

    @Test
    void aPutThatFailsHalfwayLeavesTheOldVersionAndNoChange() throws SQLException {
        Doc old = put("c", "a.txt", "first version one", "first version two");
        long changes = query("SELECT count(*) FROM changes");
        Doc next = Chunks.doc(embedder, "c", "a.txt", "second version one", "second version two");
        // PostgreSQL rejects NUL in text: the third chunk fails after the old chunks were deleted in the transaction.
        Chunk bad = new Chunk(next.document().documentId() + "#2", next.document().documentId(), "c", "a.txt",
                "t", List.of(), null, 0, 3, "nul\u0000byte", List.of(), 2);
        List<EmbeddedChunk> chunks = new ArrayList<>(next.chunks());
        chunks.add(new EmbeddedChunk(bad, embedder.embed("nul byte")));
        var document = new dev.groundwork.ingest.index.IndexedDocument(next.document().documentId(), "c", "a.txt",
                "t", "text/plain", "h2", 3, embedder.modelId(), List.of(), next.document().indexedAt());

        assertThatThrownBy(() -> index.put(document, chunks)).isInstanceOf(PostgresStoreException.class)
                .hasMessageContaining("a.txt");

        assertThat(index.document(old.document().documentId()).orElseThrow().contentHash())
                .isEqualTo(old.document().contentHash());
        assertThat(query("SELECT count(*) FROM chunks WHERE text LIKE 'first version%'")).isEqualTo(2);
        assertThat(query("SELECT count(*) FROM chunks")).isEqualTo(2);
        assertThat(query("SELECT count(*) FROM changes")).isEqualTo(changes);
    }

    @Test
    void aWriterKilledBeforeCommitLeavesTheOldVersion() throws Exception {
        Doc old = put("c", "a.txt", "old one", "old two");
        Doc next = Chunks.doc(embedder, "c", "a.txt", "new one", "new two", "new three");
        try (Connection blocker = database.getConnection(); Statement s = blocker.createStatement()) {
            // Holding the change-log lock stops the put at its last step, after its chunk writes.
            s.execute("SELECT pg_advisory_lock(" + 0x6777_0002 + ", 0)");
            CompletableFuture<Void> put = CompletableFuture.runAsync(() -> index.put(next.document(), next.chunks()));
            long pid = 0;
            while (pid == 0) {
                try (ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND wait_event = 'advisory' AND datname = current_database()")) {
                    pid = rs.next() ? rs.getLong(1) : 0;
                }
                Thread.onSpinWait();
            }
            s.execute("SELECT pg_terminate_backend(" + pid + ")"); // what a kill -9 of the worker amounts to
            assertThatThrownBy(put::join).hasRootCauseInstanceOf(SQLException.class);
        }
        assertThat(query("SELECT count(*) FROM chunks")).isEqualTo(2);
        assertThat(query("SELECT count(*) FROM chunks WHERE text LIKE 'old%'")).isEqualTo(2);
        assertThat(query("SELECT version FROM documents")).isEqualTo(1);

        index.put(next.document(), next.chunks()); // the re-run
        assertThat(query("SELECT count(*) FROM chunks")).isEqualTo(3);
        assertThat(query("SELECT version FROM documents")).isEqualTo(2);
        assertThat(index.document(old.document().documentId()).orElseThrow().chunkCount()).isEqualTo(3);
    }

    @Test
    void concurrentWritersKeepEveryDocumentWholeAndTheChangeLogInCommitOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int worker = w;
                work.add(pool.submit(() -> {
                    for (int round = 0; round < 10; round++) {
                        // Every worker rewrites the shared document, with a chunk count of its own.
                        String[] texts = new String[1 + (worker + round) % 4];
                        for (int i = 0; i < texts.length; i++) {
                            texts[i] = "worker " + worker + " round " + round + " part " + i;
                        }
                        put("c", "shared.txt", texts);
                        put("c", "own-" + worker + "-" + round + ".txt", "private " + worker);
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(query("SELECT count(*) FROM documents")).isEqualTo(41);
        assertThat(query("SELECT count(*) FROM documents d WHERE chunk_count <> "
                + "(SELECT count(*) FROM chunks c WHERE c.document_id = d.id)")).isZero();
        assertThat(query("SELECT count(DISTINCT substring(text from '^worker \\d+ round \\d+')) FROM chunks "
                + "WHERE text LIKE 'worker%'")).isEqualTo(1);
        assertThat(query("SELECT max(version) FROM documents")).isEqualTo(40);
        assertThat(query("SELECT count(*) FROM changes")).isEqualTo(80);
        try (Bm25Mirror mirror = Bm25Mirror.open(tmp.resolve("m"))) {
            new Bm25Sync(index, mirror).catchUp();
            assertThat((long) mirror.chunkCount()).isEqualTo(query("SELECT count(*) FROM chunks"));
        }
    }

    @Test
    void filteredSearchesWalkTheHnswIndexIterativelyAndStillFillK() throws SQLException {
        for (int d = 0; d < 20; d++) {
            List<String> big = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                big.add("needle words " + d + " " + i);
            }
            put("big", "b" + d + ".txt", big.toArray(String[]::new));
        }
        put("small", "s.txt", "needle a", "needle b", "hay c", "hay d", "hay e", "hay f", "hay g", "hay h", "hay i",
                "hay j", "hay k");
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE chunks");
        }
        assertThat(index.vectorRetriever(embedder).retrieve(new RetrievalQuery("needle words", "small", 10)))
                .hasSize(10).extracting(h -> h.chunk().collection()).containsOnly("small");

        StringBuilder plan = new StringBuilder();
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
            }
            try (PreparedStatement p = c.prepareStatement("EXPLAIN " + PgVectorRetriever.sql(true))) {
                PGvector q = new PGvector(embedder.embedQuery("needle words"));
                p.setObject(1, q);
                p.setString(2, "small");
                p.setObject(3, q);
                p.setInt(4, 10);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
            c.rollback();
        }
        assertThat(plan.toString()).contains("chunks_embedding_hnsw");
    }

    @Test
    void evenAGraphOfManyIdenticalVectorsFillsKUnderAFilter() {
        // 20 copies of each of 60 vectors: pgvector's graph cannot reach the small collection from the query.
        List<String> big = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            big.add("needle words " + i);
        }
        for (int d = 0; d < 20; d++) {
            put("big", "b" + d + ".txt", big.toArray(String[]::new));
        }
        put("small", "s.txt", "needle a", "needle b", "hay c", "hay d", "hay e", "hay f", "hay g", "hay h", "hay i",
                "hay j", "hay k");

        var hnsw = index.vectorRetriever(embedder).retrieve(new RetrievalQuery("needle words", "small", 10));
        var exact = index.exactVectorRetriever(embedder).retrieve(new RetrievalQuery("needle words", "small", 10));

        assertThat(hnsw).hasSize(10).extracting(h -> h.chunk().collection()).containsOnly("small");
        // Which of several equally distant chunks fill the last places is not defined; the distances are.
        assertThat(hnsw).extracting(h -> Math.round(h.score() * 1e6)).containsExactlyElementsOf(
                exact.stream().map(h -> Math.round(h.score() * 1e6)).toList());
    }
}
