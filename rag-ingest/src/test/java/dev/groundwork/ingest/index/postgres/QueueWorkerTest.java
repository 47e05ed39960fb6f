package dev.groundwork.ingest.index.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.groundwork.ingest.pipeline.FileOutcome;
import dev.groundwork.ingest.pipeline.Ingester;
import dev.groundwork.ingest.testdoubles.HashingEmbedder;
import dev.groundwork.ingest.testdoubles.ParagraphChunker;
import dev.groundwork.ingest.testdoubles.TxtParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Several workers over one PostgreSQL queue: each file processed exactly once; dead workers' claims return. */
@ExtendWith(PostgresExtension.class)
class QueueWorkerTest {

    @TempDir
    Path docs;

    private long query(HikariDataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Map<String, Path> files(int n) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Path file = Files.writeString(docs.resolve("f" + i + ".txt"), "file " + i + "\n\nsecond paragraph " + i);
            files.put(file.getFileName().toString(), file);
        }
        return files;
    }

    @Test
    void concurrentWorkersProcessEveryFileExactlyOnce(HikariDataSource db) throws Exception {
        PostgresIndex index = PostgresIndex.open(db);
        IngestQueue queue = new IngestQueue(index);
        assertThat(queue.enqueue("kb", files(24))).isEqualTo(24);

        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Integer>> workers = new ArrayList<>();
        try {
            for (int w = 0; w < 3; w++) {
                Ingester ingester = new Ingester(new TxtParser(), new ParagraphChunker(), new HashingEmbedder(), index);
                QueueWorker worker = new QueueWorker(queue, ingester, "worker-" + w);
                workers.add(pool.submit(() -> worker.drain(outcome -> seen.add(outcome.source()))));
            }
            int total = 0;
            for (Future<Integer> f : workers) {
                total += f.get();
            }
            assertThat(total).isEqualTo(24);
        } finally {
            pool.shutdown();
        }
        assertThat(seen).hasSize(24).doesNotHaveDuplicates();
        assertThat(queue.counts()).isEqualTo(Map.of("done", 24L));
        assertThat(query(db, "SELECT max(attempts) FROM ingest_queue")).isEqualTo(1);
        assertThat(query(db, "SELECT count(*) FROM changes")).isEqualTo(24); // one put per document, never two
        assertThat(query(db, "SELECT count(*) FROM chunks")).isEqualTo(48);
    }

    @Test
    void aClaimLeftByADeadWorkerIsQueuedAgainAndIngestedOnce(HikariDataSource db) throws Exception {
        PostgresIndex index = PostgresIndex.open(db);
        IngestQueue queue = new IngestQueue(index);
        queue.enqueue("kb", files(2));
        IngestQueue.Job abandoned = queue.claim("killed-worker").orElseThrow();

        assertThat(queue.requeueStale(Duration.ofHours(1))).isZero(); // still fresh: its worker may be alive
        assertThat(queue.requeueStale(Duration.ZERO)).isEqualTo(1);

        Ingester ingester = new Ingester(new TxtParser(), new ParagraphChunker(), new HashingEmbedder(), index);
        List<FileOutcome> outcomes = new ArrayList<>();
        assertThat(new QueueWorker(queue, ingester, "survivor").drain(outcomes::add)).isEqualTo(2);
        assertThat(outcomes).extracting(FileOutcome::source).contains(abandoned.source());
        assertThat(query(db, "SELECT attempts FROM ingest_queue WHERE id = " + abandoned.id())).isEqualTo(2);
        assertThat(index.documents("kb")).hasSize(2);
        // A late finish from the dead worker changes nothing: the claim is no longer its.
        queue.finish(abandoned, "FAILED", "late report from a worker presumed dead");
        assertThat(queue.counts()).isEqualTo(Map.of("done", 2L));
    }
}
