package dev.groundwork.ingest.index.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.groundwork.ingest.pipeline.FileOutcome;
import dev.groundwork.ingest.pipeline.IngestListener;
import dev.groundwork.ingest.pipeline.IngestReport;
import dev.groundwork.ingest.pipeline.Ingester;
import dev.groundwork.ingest.testdoubles.HashingEmbedder;
import dev.groundwork.ingest.testdoubles.ParagraphChunker;
import dev.groundwork.ingest.testdoubles.TxtParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** An ingestion JVM killed with SIGKILL mid-run, then run again: exactly the right chunks, no more, no fewer. */
@ExtendWith(PostgresExtension.class)
class KilledIngestTest {

    private static final int FILES = 150;
    private static final int PARAGRAPHS = 30;

    @TempDir
    Path docs;

    private static long query(HikariDataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Documents whose stored chunks are not exactly those their row announces, or not their file's paragraphs. */
    private static long broken(HikariDataSource db) throws SQLException {
        return query(db, "SELECT count(*) FROM documents d WHERE d.chunk_count <> "
                + "(SELECT count(*) FROM chunks c WHERE c.document_id = d.id) OR EXISTS (SELECT 1 FROM chunks c "
                + "WHERE c.document_id = d.id AND c.text <> 'file ' || regexp_replace(d.source, '\\D', '', 'g') "
                + "|| ' paragraph ' || c.ordinal)");
    }

    @Test
    void aRunKilledAtAnyMomentAndRunAgainEndsWithExactlyTheRightChunks(HikariDataSource db) throws Exception {
        for (int f = 0; f < FILES; f++) {
            List<String> paragraphs = new ArrayList<>();
            for (int p = 0; p < PARAGRAPHS; p++) {
                paragraphs.add("file " + f + " paragraph " + p);
            }
            Files.writeString(docs.resolve("f" + f + ".txt"), String.join("\n\n", paragraphs));
        }
        PostgresIndex.open(db).close(); // schema in place before the child starts

        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                IngestChild.class.getName(), db.getJdbcUrl(), docs.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        // Kill it once some documents are in, while it is writing others.
        while (child.isAlive() && query(db, "SELECT count(*) FROM documents") < 10) {
            Thread.onSpinWait();
        }
        assertThat(child.isAlive()).as("the child must still be ingesting when killed").isTrue();
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no rollback from the client
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        long stored = query(db, "SELECT count(*) FROM documents");
        assertThat(stored).isBetween(10L, (long) FILES - 1);
        assertThat(broken(db)).isZero();

        try (PostgresIndex index = PostgresIndex.open(db)) {
            IngestReport report = new Ingester(new TxtParser(), new ParagraphChunker(), new HashingEmbedder(), index)
                    .ingestDirectory(docs, "kb", new IngestListener() { });
            // The server may still commit the put the child had sent before it died; it then counts as unchanged.
            assertThat(report.count(FileOutcome.Status.UNCHANGED)).isBetween(stored, stored + 1);
            assertThat(report.count(FileOutcome.Status.ADDED) + report.count(FileOutcome.Status.UNCHANGED))
                    .isEqualTo(FILES);
            assertThat(report.succeeded()).isTrue();
        }
        assertThat(query(db, "SELECT count(*) FROM documents")).isEqualTo(FILES);
        assertThat(query(db, "SELECT count(*) FROM chunks")).isEqualTo((long) FILES * PARAGRAPHS);
        assertThat(broken(db)).isZero();
        assertThat(query(db, "SELECT count(*) FROM changes")).isEqualTo(FILES); // each document put once
    }
}
