package dev.groundwork.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.ingest.chunk.DocumentRef;
import dev.groundwork.ingest.index.IndexedDocument;
import dev.groundwork.ingest.index.lucene.LuceneIndex;
import dev.groundwork.ingest.pipeline.FileOutcome.Status;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.ingest.testdoubles.HashingEmbedder;
import dev.groundwork.ingest.testdoubles.ParagraphChunker;
import dev.groundwork.ingest.testdoubles.TxtParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngesterTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path docs;

    private final HashingEmbedder embedder = new HashingEmbedder();
    private final TxtParser parser = new TxtParser();
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
    private LuceneIndex index;
    private Ingester ingester;

    @BeforeEach
    void open() {
        index = LuceneIndex.open(dataDir);
        ingester = new Ingester(parser, new ParagraphChunker(), embedder, index, clock);
    }

    @AfterEach
    void close() {
        index.close();
    }

    private void write(String source, String text) throws IOException {
        Path file = docs.resolve(source);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private IngestReport run() {
        return ingester.ingestDirectory(docs, "kb", IngestListener.NONE);
    }

    private List<String> search(String words) {
        return index.bm25Retriever().retrieve(new RetrievalQuery(words, "kb", 50)).stream()
                .map(ScoredChunk::chunk).map(c -> c.source() + ":" + c.text().strip()).toList();
    }

    @Test
    void addsEveryFileWithItsHashAndModel() throws Exception {
        write("guide/setup.txt", "Install the tool.\n\nConfigure the tool.");
        write("faq.txt", "Questions and answers.");

        IngestReport report = run();

        assertThat(report.outcomes()).extracting(FileOutcome::source, FileOutcome::status, FileOutcome::chunks)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("faq.txt", Status.ADDED, 1),
                        org.assertj.core.groups.Tuple.tuple("guide/setup.txt", Status.ADDED, 2));
        assertThat(report.succeeded()).isTrue();
        IndexedDocument setup = index.document(DocumentRef.idFor("kb", "guide/setup.txt")).orElseThrow();
        byte[] bytes = Files.readAllBytes(docs.resolve("guide/setup.txt"));
        assertThat(setup.contentHash()).isEqualTo(
                HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(setup.embeddingModel()).isEqualTo("test-hashing-64");
        assertThat(setup.chunkCount()).isEqualTo(2);
        assertThat(setup.indexedAt()).isEqualTo(clock.instant());
        assertThat(setup.mediaType()).isEqualTo("text/plain");
        assertThat(search("tool")).containsExactlyInAnyOrder(
                "guide/setup.txt:Install the tool.", "guide/setup.txt:Configure the tool.");
    }

    @Test
    void rerunOverAnUnchangedFolderDoesNoParsingOrEmbedding() throws IOException {
        write("a.txt", "alpha one\n\nalpha two");
        write("b.txt", "beta");
        run();
        int embedded = embedder.embeddedTexts();
        int parsed = parser.parses();
        assertThat(embedded).isEqualTo(3);

        IngestReport again = run();

        assertThat(again.outcomes()).extracting(FileOutcome::status).containsOnly(Status.UNCHANGED);
        assertThat(again.outcomes()).extracting(FileOutcome::chunks).containsExactly(2, 1);
        assertThat(embedder.embeddedTexts()).isEqualTo(embedded);
        assertThat(parser.parses()).isEqualTo(parsed);
    }

    @Test
    void updatesChangedFilesAndDeletesVanishedOnes() throws IOException {
        write("keep.txt", "kept content");
        write("change.txt", "old words\n\nmore old words");
        write("remove.txt", "doomed content");
        run();
        int embeddedBefore = embedder.embeddedTexts();

        write("change.txt", "fresh words");
        Files.delete(docs.resolve("remove.txt"));
        write("new.txt", "brand new content");
        List<String> events = new ArrayList<>();
        IngestReport report = ingester.ingestDirectory(docs, "kb", new IngestListener() {
            @Override
            public void started(int files) {
                events.add("started " + files);
            }

            @Override
            public void fileDone(FileOutcome outcome, int filesDone, long chunksSoFar) {
                events.add(outcome.source() + " " + outcome.status() + " " + filesDone + " " + chunksSoFar);
            }
        });

        // Files are stored in batches: both changed files are stored before the first is reported, so the chunk
        // count runs ahead of the file count; the files are still reported one by one in source order.
        assertThat(events).containsExactly("started 4", "change.txt UPDATED 1 2", "keep.txt UNCHANGED 2 2",
                "new.txt ADDED 3 2", "remove.txt DELETED 4 2");
        assertThat(embedder.embeddedTexts() - embeddedBefore).isEqualTo(2);
        assertThat(report.count(Status.DELETED)).isEqualTo(1);
        assertThat(search("words")).containsExactly("change.txt:fresh words");
        assertThat(search("doomed")).isEmpty();
        assertThat(index.documents("kb")).extracting(IndexedDocument::source)
                .containsExactly("change.txt", "keep.txt", "new.txt");
        assertThat(index.document(DocumentRef.idFor("kb", "change.txt")).orElseThrow().chunkCount()).isEqualTo(1);
    }

    @Test
    void aCorruptFileIsReportedAndTheOthersIngested() throws IOException {
        write("a.txt", "good alpha");
        write("bad.txt", "this file is CORRUPT inside");
        write("z.txt", "good zulu");

        IngestReport report = run();

        assertThat(report.succeeded()).isFalse();
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.source()).isEqualTo("bad.txt");
            assertThat(f.reason()).contains("bad.txt").contains("corrupt");
            assertThat(f.chunks()).isZero();
        });
        assertThat(report.count(Status.ADDED)).isEqualTo(2);
        assertThat(search("corrupt inside")).isEmpty();
        assertThat(index.document(DocumentRef.idFor("kb", "bad.txt"))).isEmpty();
    }

    @Test
    void aPreviouslyIndexedFileThatNowFailsKeepsItsOldVersion() throws IOException {
        write("doc.txt", "working version");
        run();
        write("doc.txt", "broken CORRUPT version");

        IngestReport report = run();

        assertThat(report.outcomes()).extracting(FileOutcome::status).containsExactly(Status.FAILED);
        assertThat(search("version")).containsExactly("doc.txt:working version");
    }

    @Test
    void unsupportedFilesAreReportedAndHiddenOnesIgnored() throws IOException {
        write("notes.txt", "fine");
        write("image.png", "not really a png");
        write(".hidden.txt", "secret");
        write(".git/config.txt", "git internals");

        IngestReport report = run();

        assertThat(report.outcomes()).extracting(FileOutcome::source, FileOutcome::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("image.png", Status.FAILED),
                org.assertj.core.groups.Tuple.tuple("notes.txt", Status.ADDED));
        assertThat(report.failures().get(0).reason()).isEqualTo("unsupported format (.png)");
    }

    @Test
    void aModelChangeReembedsUnchangedFiles() throws IOException {
        write("a.txt", "same bytes");
        run();
        HashingEmbedder newModel = new HashingEmbedder(64, "test-hashing-64-v2");
        Ingester other = new Ingester(parser, new ParagraphChunker(), newModel, index, clock);

        IngestReport report = other.ingestDirectory(docs, "kb", IngestListener.NONE);

        assertThat(report.outcomes()).extracting(FileOutcome::status).containsExactly(Status.UPDATED);
        assertThat(newModel.embeddedTexts()).isEqualTo(1);
    }

    @Test
    void uploadsAreHashedParsedAndSkippedWhenUnchanged() {
        byte[] bytes = "uploaded paragraph\n\nsecond paragraph".getBytes(StandardCharsets.UTF_8);

        FileOutcome first = ingester.ingestFile("kb", "inbox\\memo.txt", new ByteArrayInputStream(bytes));
        FileOutcome second = ingester.ingestFile("kb", "inbox/memo.txt", new ByteArrayInputStream(bytes));
        FileOutcome bad = ingester.ingestFile("kb", "x.txt",
                new ByteArrayInputStream("CORRUPT".getBytes(StandardCharsets.UTF_8)));

        assertThat(first.status()).isEqualTo(Status.ADDED);
        assertThat(first.source()).isEqualTo("inbox/memo.txt");
        assertThat(first.chunks()).isEqualTo(2);
        assertThat(second.status()).isEqualTo(Status.UNCHANGED);
        assertThat(embedder.embeddedTexts()).isEqualTo(2);
        assertThat(bad.status()).isEqualTo(Status.FAILED);
        assertThat(bad.reason()).contains("x.txt");
        assertThat(index.document(DocumentRef.idFor("kb", "x.txt"))).isEmpty();
    }

    @Test
    void aMissingFolderIsRejectedNamingIt() {
        Path missing = docs.resolve("nope");
        assertThatThrownBy(() -> ingester.ingestDirectory(missing, "kb", IngestListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
    }
}
