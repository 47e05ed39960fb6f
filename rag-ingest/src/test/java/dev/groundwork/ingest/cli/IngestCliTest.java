package dev.groundwork.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.ingest.chunk.Chunker;
import dev.groundwork.ingest.chunk.ChunkingOptions;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class IngestCliTest {

    @TempDir
    Path docs;
    @TempDir
    Path dataDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private ChunkingOptions chunkingSeen;

    private final IngestComponents testComponents = new IngestComponents() {
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
            chunkingSeen = options;
            return new ParagraphChunker();
        }
    };

    private int run(String... args) {
        CommandLine cli = IngestCli.commandLine(testComponents);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private int ingest(String... extra) {
        String[] base = {"ingest", docs.toString(), "--collection", "kb", "--data-dir", dataDir.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return run(args);
    }

    @Test
    void exitsZeroAndSummarisesWhenEveryFileSucceeds() throws IOException {
        Files.writeString(docs.resolve("a.txt"), "one\n\ntwo");
        Files.writeString(docs.resolve("b.txt"), "three");

        assertThat(ingest("--chunk-tokens", "100", "--overlap-tokens", "10")).isEqualTo(0);
        assertThat(out.toString()).contains("collection kb: 2 added, 0 updated, 0 unchanged, 0 deleted, 0 failed");
        assertThat(out.toString()).doesNotContain("failed:");
        assertThat(err.toString()).contains("2/2 files, 3 chunks");
        assertThat(chunkingSeen).isEqualTo(new ChunkingOptions(100, 10));

        out.getBuffer().setLength(0);
        assertThat(ingest()).isEqualTo(0);
        assertThat(out.toString()).contains("0 added, 0 updated, 2 unchanged, 0 deleted, 0 failed");
        assertThat(chunkingSeen).isEqualTo(ChunkingOptions.defaults());

        out.getBuffer().setLength(0);
        assertThat(run("list", "--data-dir", dataDir.toString())).isEqualTo(0);
        assertThat(out.toString().lines()).hasSize(2).allMatch(line -> line.startsWith("kb\t"));
        assertThat(out.toString()).contains("kb\ta.txt\t2\ttest-hashing-64");
    }

    @Test
    void exitsOneListingEachFailureWithItsReason() throws IOException {
        Files.writeString(docs.resolve("good.txt"), "fine text");
        Files.writeString(docs.resolve("broken.txt"), "CORRUPT");
        Files.writeString(docs.resolve("photo.jpg"), "jpeg");

        assertThat(ingest()).isEqualTo(1);
        String summary = out.toString();
        assertThat(summary).contains("collection kb: 1 added, 0 updated, 0 unchanged, 0 deleted, 2 failed");
        assertThat(summary).contains("failed:\n  broken.txt: broken.txt is corrupt (test marker found)\n"
                .replace("\n", System.lineSeparator()));
        assertThat(summary).contains("  photo.jpg: unsupported format (.jpg)");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("ingest", docs.toString(), "--data-dir", dataDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--collection");
        assertThat(ingest("--chunk-tokens", "10")).isEqualTo(2);
        assertThat(ingest("--chunk-tokens", "1000")).isEqualTo(2); // beyond the test model's 256-token window
        assertThat(run("ingest", docs.resolve("missing").toString(), "--collection", "kb", "--data-dir",
                dataDir.toString())).isEqualTo(2);
        assertThat(run()).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
    }

    @Test
    void aLockedIndexIsAClearErrorNotATrace() throws IOException {
        Files.writeString(docs.resolve("a.txt"), "text");
        try (var held = dev.groundwork.ingest.index.lucene.LuceneIndex.open(dataDir)) {
            assertThat(ingest()).isEqualTo(1);
        }
        assertThat(err.toString()).contains("error: index folder").contains("lock")
                .doesNotContain("\tat ");
    }
}
