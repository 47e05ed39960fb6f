package dev.groundwork.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.DocumentVersion;
import dev.groundwork.ingest.index.EmbeddedChunk;
import dev.groundwork.ingest.index.IndexedDocument;
import dev.groundwork.ingest.index.lucene.LuceneIndex;
import dev.groundwork.ingest.testdoubles.HashingEmbedder;
import dev.groundwork.ingest.testdoubles.ParagraphChunker;
import dev.groundwork.ingest.testdoubles.TxtParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many small files share embedding calls and commits, and a bad file in a batch stays the only failure. */
class IngesterBatchingTest {

    @TempDir
    Path dir;

    @Test
    void smallFilesShareCommitsAndAFailureStaysWithItsFile() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        for (int i = 0; i < 70; i++) {
            Files.writeString(docs.resolve(String.format("f%03d.txt", i)), "small file number " + i);
        }
        Files.writeString(docs.resolve("f050.txt"), "CORRUPT");
        List<Integer> batchSizes = new ArrayList<>();
        try (LuceneIndex lucene = LuceneIndex.open(dir.resolve("data"))) {
            var counting = new DocumentIndex() {
                // Records how many documents each putAll stores, delegating to the real index.
                @Override
                public Optional<IndexedDocument> document(String id) {
                    return lucene.document(id);
                }

                @Override
                public List<IndexedDocument> documents(String collection) {
                    return lucene.documents(collection);
                }

                @Override
                public Set<String> collections() {
                    return lucene.collections();
                }

                @Override
                public void put(IndexedDocument d,
                        List<EmbeddedChunk> chunks) {
                    putAll(List.of(new DocumentVersion(d, chunks)));
                }

                @Override
                public void putAll(List<DocumentVersion> versions) {
                    batchSizes.add(versions.size());
                    lucene.putAll(versions);
                }

                @Override
                public boolean delete(String id) {
                    return lucene.delete(id);
                }

                @Override
                public int dimensions() {
                    return lucene.dimensions();
                }

                @Override
                public void close() {
                }
            };
            Ingester ingester = new Ingester(new TxtParser(), new ParagraphChunker(), new HashingEmbedder(), counting);

            IngestReport report = ingester.ingestDirectory(docs, "kb", IngestListener.NONE);

            assertThat(report.count(FileOutcome.Status.ADDED)).isEqualTo(69);
            assertThat(report.failures()).singleElement().satisfies(f -> assertThat(f.source()).isEqualTo("f050.txt"));
            assertThat(lucene.documents("kb")).hasSize(69);
            // 69 files in batches of at most Ingester.BATCH_FILES: three commits, not 69.
            assertThat(batchSizes).containsExactly(32, 32, 5);
            assertThat(report.outcomes()).extracting(FileOutcome::source).isSorted();
        }
    }
}
