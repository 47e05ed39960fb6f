package dev.groundwork.ingest.index.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.testdoubles.Chunks;
import dev.groundwork.ingest.testdoubles.Chunks.Doc;
import dev.groundwork.ingest.testdoubles.HashingEmbedder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Model changes are detected per chunk and re-embedded from the stored texts. */
@ExtendWith(PostgresExtension.class)
class ReembedderTest {

    private final HashingEmbedder first = new HashingEmbedder(64, "model-a");

    private PostgresIndex filled(HikariDataSource db) {
        PostgresIndex index = PostgresIndex.open(db);
        for (Doc doc : List.of(Chunks.doc(first, "c", "one.txt", "apples and pears", "plums"),
                Chunks.doc(first, "c", "two.txt", "carrots and peas"))) {
            index.put(doc.document(), doc.chunks());
        }
        return index;
    }

    @Test
    void aModelOfTheSameSizeIsRolledOutDocumentByDocument(HikariDataSource db) {
        PostgresIndex index = filled(db);
        HashingEmbedder next = new HashingEmbedder(64, "model-b");
        Reembedder reembedder = new Reembedder(index, next);

        assertThat(reembedder.staleDocuments()).hasSize(2);
        List<Integer> progress = new ArrayList<>();
        assertThat(reembedder.run(progress::add)).isEqualTo(2);

        assertThat(progress).containsExactly(1, 2);
        assertThat(index.embeddingModels()).containsExactly("model-b");
        assertThat(index.documents("c")).allSatisfy(d -> assertThat(d.embeddingModel()).isEqualTo("model-b"));
        assertThat(reembedder.staleDocuments()).isEmpty();
        assertThat(index.vectorRetriever(next).retrieve(new RetrievalQuery("carrots and peas", null, 1)).get(0)
                .score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void aModelOfAnotherSizeChangesTheColumnAndIndexInOneStep(HikariDataSource db) {
        PostgresIndex index = filled(db);
        HashingEmbedder smaller = new HashingEmbedder(32, "model-32");

        assertThat(new Reembedder(index, smaller).run(n -> { })).isEqualTo(2);

        assertThat(index.dimensions()).isEqualTo(32);
        assertThat(index.embeddingModels()).containsExactly("model-32");
        assertThat(index.vectorRetriever(smaller).retrieve(new RetrievalQuery("plums", "c", 3)))
                .hasSize(3).first().extracting(h -> h.chunk().text()).isEqualTo("plums");
        Doc old = Chunks.doc(first, "c", "three.txt", "sixty-four dimensional");
        assertThatThrownBy(() -> index.put(old.document(), old.chunks()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32-dimensional");
        // Another process's index learns the new size at its next search.
        PostgresIndex elsewhere = PostgresIndex.open(db);
        assertThat(elsewhere.vectorRetriever(smaller).retrieve(new RetrievalQuery("plums", null, 1))).hasSize(1);
    }
}
