package dev.groundwork.ingest.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.index.EmbeddedChunk;
import dev.groundwork.ingest.index.IndexedDocument;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.ingest.testdoubles.Chunks;
import dev.groundwork.ingest.testdoubles.Chunks.Doc;
import dev.groundwork.ingest.testdoubles.HashingEmbedder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneIndexTest {

    @TempDir
    Path dataDir;

    private final HashingEmbedder embedder = new HashingEmbedder();
    private LuceneIndex index;

    @BeforeEach
    void open() {
        index = LuceneIndex.open(dataDir);
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

    private static List<String> texts(List<ScoredChunk> results) {
        return results.stream().map(r -> r.chunk().text()).toList();
    }

    @Test
    void storesDocumentsAndChunksWithAllTheirFields() {
        Doc doc = put("manuals", "install/linux.txt", "Install the package with apt.", "Then start the service.");

        assertThat(index.document(doc.document().documentId())).contains(doc.document());
        assertThat(index.documents("manuals")).containsExactly(doc.document());
        assertThat(index.collections()).containsExactly("manuals");
        assertThat(index.dimensions()).isEqualTo(64);
        assertThat(index.embeddingModel()).isEqualTo("test-hashing-64");

        List<ScoredChunk> hits = index.bm25Retriever().retrieve(new RetrievalQuery("service", null, 5));
        assertThat(hits).hasSize(1);
        Chunk stored = hits.get(0).chunk();
        assertThat(stored).isEqualTo(doc.chunks().get(1).chunk());
        assertThat(stored.headingPath()).containsExactly("Part", "Section 1");
        assertThat(stored.page()).isEqualTo(2);
        assertThat(hits.get(0).bm25Rank()).isEqualTo(1);
        assertThat(hits.get(0).vectorRank()).isNull();
    }

    @Test
    void documentsAreSortedBySourceAndCollectionsListOnlyNonEmptyOnes() {
        put("b", "z.txt", "zulu text");
        put("b", "a.txt", "alpha text");
        Doc gone = put("a", "only.txt", "lonely text");
        assertThat(index.documents("b")).extracting(IndexedDocument::source).containsExactly("a.txt", "z.txt");
        assertThat(index.collections()).containsExactly("a", "b");

        assertThat(index.delete(gone.document().documentId())).isTrue();
        assertThat(index.delete(gone.document().documentId())).isFalse();
        assertThat(index.collections()).containsExactly("b");
        assertThat(index.documents("a")).isEmpty();
        assertThat(index.bm25Retriever().retrieve(new RetrievalQuery("lonely", null, 5))).isEmpty();
    }

    @Test
    void replacingADocumentRemovesEveryOldChunk() {
        put("c", "doc.txt", "old apple text", "old banana text", "old cherry text");
        Doc updated = put("c", "doc.txt", "new apple text");

        assertThat(index.documents("c")).singleElement().satisfies(d -> assertThat(d.chunkCount()).isEqualTo(1));
        Retriever bm25 = index.bm25Retriever();
        assertThat(texts(bm25.retrieve(new RetrievalQuery("text", null, 10)))).containsExactly("new apple text");
        assertThat(bm25.retrieve(new RetrievalQuery("banana cherry", null, 10))).isEmpty();
        assertThat(texts(index.vectorRetriever(embedder).retrieve(new RetrievalQuery("old banana", null, 10))))
                .containsExactly("new apple text");
        assertThat(index.document(updated.document().documentId())).contains(updated.document());
    }

    @Test
    void collectionFilterAppliesToBothRetrieversAndStillReturnsK() {
        for (int i = 0; i < 20; i++) {
            put("noise", "n" + i + ".txt", "shared words about rivers " + i);
        }
        put("wanted", "w1.txt", "shared words about lakes");
        put("wanted", "w2.txt", "completely different content");

        RetrievalQuery query = new RetrievalQuery("shared words about rivers", "wanted", 2);
        List<ScoredChunk> bm25 = index.bm25Retriever().retrieve(query);
        assertThat(texts(bm25)).containsExactly("shared words about lakes");

        List<ScoredChunk> vector = index.vectorRetriever(embedder).retrieve(query);
        assertThat(vector).extracting(r -> r.chunk().collection()).containsOnly("wanted");
        assertThat(texts(vector)).containsExactly("shared words about lakes", "completely different content");
        assertThat(vector).extracting(ScoredChunk::vectorRank).containsExactly(1, 2);

        assertThat(index.bm25Retriever().retrieve(new RetrievalQuery("rivers", null, 30))).hasSize(20);
    }

    @Test
    void rejectsVectorsOfAnotherDimensionNamingBothSizes() {
        put("c", "a.txt", "first document");
        Doc other = Chunks.doc(new HashingEmbedder(32, "other-32"), "c", "b.txt", "second document");

        assertThatThrownBy(() -> index.put(other.document(), other.chunks()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b.txt").hasMessageContaining("32").hasMessageContaining("64");
        assertThat(index.documents("c")).extracting(IndexedDocument::source).containsExactly("a.txt");
    }

    @Test
    void rejectsChunksOfAnotherDocument() {
        Doc a = Chunks.doc(embedder, "c", "a.txt", "text of a");
        Doc b = Chunks.doc(embedder, "c", "b.txt", "text of b");
        assertThatThrownBy(() -> index.put(a.document(), b.chunks()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("belongs to");
    }

    @Test
    void dataAndDimensionSurviveReopening() {
        Doc doc = put("c", "a.txt", "persistent content");
        index.close();
        index = LuceneIndex.open(dataDir);

        assertThat(index.dimensions()).isEqualTo(64);
        assertThat(index.document(doc.document().documentId())).contains(doc.document());
        assertThat(texts(index.bm25Retriever().retrieve(new RetrievalQuery("persistent", "c", 3))))
                .containsExactly("persistent content");
        Doc wrong = Chunks.doc(new HashingEmbedder(16, "x"), "c", "b.txt", "more");
        assertThatThrownBy(() -> index.put(wrong.document(), wrong.chunks()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecondOpenOfTheSameFolderFailsNamingIt() {
        assertThatThrownBy(() -> LuceneIndex.open(dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dataDir.resolve("index").toString())
                .hasMessageContaining("lock");
    }

    @Test
    void englishStemmingMatchesOtherWordForms() {
        put("c", "a.txt", "The dog runs in the park every morning.");
        put("c", "b.txt", "Cats sleep all day.");

        List<ScoredChunk> hits = index.bm25Retriever().retrieve(new RetrievalQuery("running", null, 5));
        assertThat(texts(hits)).containsExactly("The dog runs in the park every morning.");
    }

    @Test
    void chineseTextIsSegmentedIntoWords() {
        put("c", "zh1.txt", "我们使用向量数据库来存储文档的嵌入。");
        put("c", "zh2.txt", "今天天气很好，我们去公园散步。");
        put("c", "en.txt", "An English chunk about databases.");

        assertThat(texts(index.bm25Retriever().retrieve(new RetrievalQuery("公园", null, 5))))
                .containsExactly("今天天气很好，我们去公园散步。");
        assertThat(texts(index.bm25Retriever().retrieve(new RetrievalQuery("文档", null, 5))))
                .containsExactly("我们使用向量数据库来存储文档的嵌入。");
    }

    @Test
    void titleAndHeadingsAreSearchable() {
        put("c", "kubernetes guide.txt", "Apply the manifest and wait.");
        put("c", "other.txt", "Unrelated words.");
        // Chunks.doc titles a document "Title of <source>" and gives chunk i the headings "Part > Section i".
        assertThat(texts(index.bm25Retriever().retrieve(new RetrievalQuery("kubernetes", null, 5))))
                .containsExactly("Apply the manifest and wait.");
        assertThat(index.bm25Retriever().retrieve(new RetrievalQuery("section", null, 5))).hasSize(2);
    }

    @Test
    void vectorRetrieverRanksTheNearestChunkFirst() {
        put("c", "a.txt", "solar panels convert sunlight into electricity", "bread needs flour water and yeast");
        put("c", "b.txt", "rivers flow into the sea");

        List<ScoredChunk> hits = index.vectorRetriever(embedder)
                .retrieve(new RetrievalQuery("how do solar panels make electricity", null, 3));
        assertThat(hits.get(0).chunk().text()).isEqualTo("solar panels convert sunlight into electricity");
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
        assertThat(hits.get(0).score()).isBetween(0.0, 1.0);
        assertThat(hits).extracting(ScoredChunk::vectorRank).containsExactly(1, 2, 3);
        assertThat(hits).extracting(ScoredChunk::bm25Rank).containsOnlyNulls();
    }

    @Test
    void equalScoresAreOrderedByChunkId() {
        Doc first = put("c", "one.txt", "identical words here");
        Doc second = put("c", "two.txt", "identical words here");
        List<String> expected = java.util.stream.Stream.of(first, second)
                .map(d -> d.chunks().get(0).chunk().id()).sorted().toList();

        assertThat(index.bm25Retriever().retrieve(new RetrievalQuery("identical", null, 5)))
                .extracting(r -> r.chunk().id()).containsExactlyElementsOf(expected);
        assertThat(index.vectorRetriever(embedder).retrieve(new RetrievalQuery("identical words here", null, 5)))
                .extracting(r -> r.chunk().id()).containsExactlyElementsOf(expected);
    }

    @Test
    void emptyIndexReturnsNothing() {
        assertThat(index.dimensions()).isZero();
        assertThat(index.vectorRetriever(embedder).retrieve(new RetrievalQuery("anything", null, 3))).isEmpty();
        assertThat(index.bm25Retriever().retrieve(new RetrievalQuery("anything", null, 3))).isEmpty();
        assertThat(index.bm25Retriever().retrieve(new RetrievalQuery("the of", null, 3))).isEmpty();
    }

    @Test
    void aDocumentWithoutChunksIsRecorded() {
        IndexedDocument empty = new IndexedDocument("e1", "c", "empty.txt", "empty", "text/plain", "h", 0, "m",
                List.of(), java.time.Instant.EPOCH);
        index.put(empty, List.<EmbeddedChunk>of());
        assertThat(index.document("e1")).contains(empty);
        assertThat(index.dimensions()).isZero();
    }

    @Test
    void aVeryLongQueryIsAClearError() {
        put("c", "a.txt", "word");
        String query = java.util.stream.IntStream.range(0, 3000).mapToObj(i -> "w" + i)
                .collect(java.util.stream.Collectors.joining(" "));
        assertThatThrownBy(() -> index.bm25Retriever().retrieve(new RetrievalQuery(query, null, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too many words");
    }

    @Test
    void concurrentPutsAndSearchesLoseNothing() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> tasks = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                tasks.add(pool.submit(() -> {
                    put("c", "doc" + n + ".txt", "concurrent text number " + n, "second chunk " + n);
                    index.bm25Retriever().retrieve(new RetrievalQuery("concurrent", "c", 5));
                }));
            }
            for (java.util.concurrent.Future<?> task : tasks) {
                task.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(index.documents("c")).hasSize(40);
        assertThat(index.bm25Retriever().retrieve(new RetrievalQuery("concurrent", "c", 100))).hasSize(40);
    }
}
