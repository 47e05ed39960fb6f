package dev.groundwork.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.ingest.testdoubles.Chunks;
import dev.groundwork.ingest.testdoubles.Chunks.Doc;
import dev.groundwork.ingest.testdoubles.HashingEmbedder;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every store (embedded Lucene, PostgreSQL) must do, run against each by a subclass that opens a fresh, empty
 * store before each test and closes it after.
 */
public abstract class DocumentIndexContract {

    protected final HashingEmbedder embedder = new HashingEmbedder();

    protected abstract DocumentIndex index();

    protected abstract Retriever bm25();

    protected abstract Retriever vector();

    private Doc put(String collection, String source, String... texts) {
        Doc doc = Chunks.doc(embedder, collection, source, texts);
        index().put(doc.document(), doc.chunks());
        return doc;
    }

    /** Stores may keep time to the microsecond (PostgreSQL); everything else must round-trip exactly. */
    private static IndexedDocument micros(IndexedDocument d) {
        return new IndexedDocument(d.documentId(), d.collection(), d.source(), d.title(), d.mediaType(),
                d.contentHash(), d.chunkCount(), d.embeddingModel(), d.acl(),
                d.indexedAt().truncatedTo(ChronoUnit.MICROS));
    }

    private static List<String> ids(List<ScoredChunk> hits) {
        return hits.stream().map(h -> h.chunk().id()).toList();
    }

    @Test
    void storesADocumentAndItsChunksWithEveryField() {
        Doc doc = put("manuals", "install/linux.txt", "Install the package with apt.", "Then start the service.");

        assertThat(index().document(doc.document().documentId()).map(DocumentIndexContract::micros))
                .contains(micros(doc.document()));
        assertThat(index().documents("manuals")).map(DocumentIndexContract::micros)
                .containsExactly(micros(doc.document()));
        assertThat(index().collections()).containsExactly("manuals");
        assertThat(index().dimensions()).isEqualTo(embedder.dimensions());

        List<ScoredChunk> lexical = bm25().retrieve(new RetrievalQuery("service", null, 5));
        assertThat(lexical).hasSize(1);
        assertThat(lexical.get(0).chunk()).isEqualTo(doc.chunks().get(1).chunk());
        assertThat(lexical.get(0).bm25Rank()).isEqualTo(1);

        List<ScoredChunk> dense = vector().retrieve(new RetrievalQuery("Install the package with apt.", null, 1));
        assertThat(dense).hasSize(1);
        assertThat(dense.get(0).chunk()).isEqualTo(doc.chunks().get(0).chunk());
        assertThat(dense.get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(dense.get(0).vectorRank()).isEqualTo(1);
    }

    @Test
    void aPutReplacesEveryChunkOfTheEarlierVersion() {
        put("c", "a.txt", "alpha bravo", "charlie delta", "echo foxtrot");
        Doc second = put("c", "a.txt", "golf hotel");

        assertThat(bm25().retrieve(new RetrievalQuery("alpha charlie echo", null, 10))).isEmpty();
        assertThat(ids(vector().retrieve(new RetrievalQuery("alpha", null, 10))))
                .containsExactly(second.chunks().get(0).chunk().id());
        assertThat(index().document(second.document().documentId()).orElseThrow().chunkCount()).isEqualTo(1);
        assertThat(index().documents("c")).hasSize(1);
    }

    @Test
    void aDeleteRemovesTheDocumentAndItsChunks() {
        Doc gone = put("a", "gone.txt", "lonely words here");
        put("b", "kept.txt", "other words there");

        assertThat(index().delete(gone.document().documentId())).isTrue();
        assertThat(index().delete(gone.document().documentId())).isFalse();
        assertThat(index().document(gone.document().documentId())).isEmpty();
        assertThat(index().collections()).containsExactly("b");
        assertThat(bm25().retrieve(new RetrievalQuery("lonely", null, 10))).isEmpty();
        assertThat(vector().retrieve(new RetrievalQuery("lonely words here", null, 10)))
                .extracting(h -> h.chunk().collection()).containsOnly("b");
    }

    @Test
    void bothRetrieversApplyTheCollectionFilter() {
        put("left", "l.txt", "shared term left side");
        put("right", "r.txt", "shared term right side");

        assertThat(bm25().retrieve(new RetrievalQuery("shared term", "right", 10)))
                .extracting(h -> h.chunk().collection()).containsExactly("right");
        assertThat(vector().retrieve(new RetrievalQuery("shared term", "left", 10)))
                .extracting(h -> h.chunk().collection()).containsExactly("left");
        assertThat(bm25().retrieve(new RetrievalQuery("shared term", null, 10))).hasSize(2);
        assertThat(vector().retrieve(new RetrievalQuery("shared term", "nowhere", 10))).isEmpty();
    }

    @Test
    void aSelectiveCollectionFilterStillYieldsKVectorResults() {
        // 400 chunks elsewhere, all nearer to the query than the 12 of the small collection.
        for (int d = 0; d < 20; d++) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                texts.add("needle query words " + d + " " + i);
            }
            put("big", "big-" + d + ".txt", texts.toArray(String[]::new));
        }
        for (int d = 0; d < 3; d++) {
            put("small", "small-" + d + ".txt", "haystack " + d + " a needle", "haystack " + d + " b",
                    "haystack " + d + " c", "haystack " + d + " d");
        }

        List<ScoredChunk> hits = vector().retrieve(new RetrievalQuery("needle query words", "small", 10));

        assertThat(hits).hasSize(10).extracting(h -> h.chunk().collection()).containsOnly("small");
        assertThat(hits).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
    }

    @Test
    void aVectorOfAnotherSizeIsRejectedAndLeavesTheStoreAsItWas() {
        Doc kept = put("c", "a.txt", "sixty four dimensions");
        HashingEmbedder other = new HashingEmbedder(32, "test-hashing-32");
        Doc wrong = Chunks.doc(other, "c", "b.txt", "thirty two dimensions");

        assertThatThrownBy(() -> index().put(wrong.document(), wrong.chunks()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b.txt")
                .hasMessageContaining("32").hasMessageContaining("64");
        assertThat(index().documents("c")).map(IndexedDocument::source).containsExactly("a.txt");
        assertThat(index().dimensions()).isEqualTo(64);
        assertThat(ids(bm25().retrieve(new RetrievalQuery("dimensions", null, 10))))
                .containsExactly(kept.chunks().get(0).chunk().id());
    }

    @Test
    void aChunkOfAnotherDocumentIsRejected() {
        Doc a = Chunks.doc(embedder, "c", "a.txt", "text of a");
        Doc b = Chunks.doc(embedder, "c", "b.txt", "text of b");

        assertThatThrownBy(() -> index().put(a.document(), b.chunks()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(b.chunks().get(0).chunk().id());
        assertThat(index().collections()).isEmpty();
    }

    @Test
    void aDocumentWithoutChunksIsRecordedButFixesNoVectorSize() {
        Doc empty = put("c", "empty.txt");

        assertThat(index().documents("c")).map(IndexedDocument::documentId)
                .containsExactly(empty.document().documentId());
        assertThat(index().dimensions()).isZero();
        assertThat(vector().retrieve(new RetrievalQuery("anything", null, 3))).isEmpty();
    }

    @Test
    void resultsAreBestFirstWithTiesBrokenByChunkId() {
        put("c", "twins.txt", "identical twin text", "identical twin text", "unrelated other words");

        List<ScoredChunk> dense = vector().retrieve(new RetrievalQuery("identical twin text", null, 3));
        List<ScoredChunk> lexical = bm25().retrieve(new RetrievalQuery("identical twin", null, 3));

        for (List<ScoredChunk> hits : List.of(dense, lexical)) {
            assertThat(hits.get(0).score()).isEqualTo(hits.get(1).score());
            assertThat(hits.get(0).chunk().id()).isLessThan(hits.get(1).chunk().id());
        }
        Chunk third = dense.get(2).chunk();
        assertThat(third.text()).isEqualTo("unrelated other words");
    }
}
