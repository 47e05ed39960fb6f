package dev.groundwork.ingest.index.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.groundwork.ingest.chunk.Chunker;
import dev.groundwork.ingest.chunk.ChunkingOptions;
import dev.groundwork.ingest.cli.IngestCli;
import dev.groundwork.ingest.cli.IngestComponents;
import dev.groundwork.ingest.index.IndexedDocument;
import dev.groundwork.ingest.parse.DocumentParser;
import dev.groundwork.ingest.testdoubles.HashingEmbedder;
import dev.groundwork.ingest.testdoubles.ParagraphChunker;
import dev.groundwork.ingest.testdoubles.TxtParser;
import dev.groundwork.model.embed.Embedder;
import dev.groundwork.model.tokenize.TokenCounter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ingest DIR --collection C --jdbc-url URL} against a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresIngestCliTest {

    @TempDir
    Path docs;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private final IngestComponents components = new IngestComponents() {
        @Override
        public DocumentParser parser() {
            return new TxtParser();
        }

        @Override
        public Embedder embedder(Path modelDir) {
            return new HashingEmbedder();
        }

        @Override
        public Chunker chunker(TokenCounter tokens, ChunkingOptions options) {
            return new ParagraphChunker();
        }
    };

    private int run(String... args) {
        CommandLine cli = IngestCli.commandLine(components);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void ingestsIncrementallyIntoPostgres(HikariDataSource database) throws IOException {
        String url = database.getJdbcUrl();
        Files.writeString(docs.resolve("a.txt"), "one\n\ntwo");
        Files.writeString(docs.resolve("b.txt"), "three");

        assertThat(run("ingest", docs.toString(), "--collection", "kb", "--jdbc-url", url)).isEqualTo(0);
        assertThat(out.toString()).contains("2 added, 0 updated, 0 unchanged, 0 deleted, 0 failed");

        Files.writeString(docs.resolve("a.txt"), "one\n\ntwo\n\nfour");
        Files.delete(docs.resolve("b.txt"));
        assertThat(run("ingest", docs.toString(), "--collection", "kb", "--jdbc-url", url)).isEqualTo(0);
        assertThat(out.toString()).contains("0 added, 1 updated, 0 unchanged, 1 deleted, 0 failed");

        PostgresIndex index = PostgresIndex.open(database);
        assertThat(index.documents("kb")).extracting(IndexedDocument::source, IndexedDocument::chunkCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a.txt", 3));
        try (var c = database.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT status, report ->> 'updated', report ->> 'deleted' FROM ingestion_runs ORDER BY id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("succeeded");
            assertThat(rs.next()).isTrue();
            assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                    .containsExactly("succeeded", "1", "1");
            assertThat(rs.next()).isFalse();
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        assertThat(run("list", "--jdbc-url", url)).isEqualTo(0);
        assertThat(out.toString()).containsPattern("(?m)^kb\\ta\\.txt\\t3\\ttest-hashing-64\\t");
    }

    @Test
    void enqueueThenWorkersDrainTheQueue(HikariDataSource database) throws IOException {
        String url = database.getJdbcUrl();
        for (int i = 0; i < 5; i++) {
            Files.writeString(docs.resolve("f" + i + ".txt"), "text " + i);
        }
        assertThat(run("enqueue", docs.toString(), "--collection", "kb", "--jdbc-url", url)).isEqualTo(0);
        assertThat(out.toString()).contains("collection kb: 5 files queued, 0 vanished documents removed");

        assertThat(run("work", "--jdbc-url", url, "--threads", "2")).isEqualTo(0);
        assertThat(out.toString()).contains("5 files processed").contains("0 failed").contains("{done=5}");
        assertThat(PostgresIndex.open(database).documents("kb")).hasSize(5);

        Files.delete(docs.resolve("f0.txt"));
        assertThat(run("enqueue", docs.toString(), "--collection", "kb", "--jdbc-url", url)).isEqualTo(0);
        assertThat(out.toString()).contains("4 files queued, 1 vanished documents removed");
        assertThat(run("work", "--jdbc-url", url)).isEqualTo(0);
        assertThat(PostgresIndex.open(database).documents("kb")).hasSize(4);
    }

    @Test
    void reembedCheckReportsAModelChange(HikariDataSource database) throws IOException {
        String url = database.getJdbcUrl();
        Files.writeString(docs.resolve("a.txt"), "alpha\n\nbravo");
        assertThat(run("ingest", docs.toString(), "--collection", "kb", "--jdbc-url", url)).isEqualTo(0);
        assertThat(run("reembed", "--jdbc-url", url, "--check")).isEqualTo(0);
        assertThat(out.toString()).contains("0 documents not embedded by test-hashing-64");

        PostgresIndex index = PostgresIndex.open(database);
        new Reembedder(index, new HashingEmbedder(64, "older-model")).run(n -> { });
        assertThat(run("reembed", "--jdbc-url", url, "--check")).isEqualTo(1);
        assertThat(out.toString()).contains("store models [older-model]; 1 documents not embedded by test-hashing-64");
        assertThat(run("reembed", "--jdbc-url", url)).isEqualTo(0);
        assertThat(out.toString()).contains("re-embedded 1 documents with test-hashing-64 (64 dimensions)");
        assertThat(index.embeddingModels()).containsExactly("test-hashing-64");
    }

    @Test
    void rejectsTwoStoresAndAMissingPasswordVariable(HikariDataSource database) {
        assertThat(run("ingest", docs.toString(), "--collection", "kb", "--data-dir", docs.toString(),
                "--jdbc-url", database.getJdbcUrl())).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");

        assertThat(run("ingest", docs.toString(), "--collection", "kb", "--jdbc-url", database.getJdbcUrl(),
                "--db-password-env", "GROUNDWORK_SURELY_UNSET_VARIABLE")).isEqualTo(1);
        assertThat(err.toString()).contains("GROUNDWORK_SURELY_UNSET_VARIABLE").contains("not set");
    }
}
