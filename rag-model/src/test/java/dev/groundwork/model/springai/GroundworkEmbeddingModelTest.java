package dev.groundwork.model.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.model.embed.InputTooLongException;
import dev.groundwork.model.embed.OnnxSentenceEmbedder;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

class GroundworkEmbeddingModelTest {

    private static OnnxSentenceEmbedder embedder;
    private static GroundworkEmbeddingModel model;

    @BeforeAll
    static void load() {
        embedder = OnnxSentenceEmbedder.allMiniLmL6V2();
        model = GroundworkEmbeddingModel.of(embedder);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void callReturnsTheEmbedderVectorsIndexedInOrder() {
        List<String> texts = List.of("Hybrid search mixes BM25 and vectors.", "混合检索", "The cat sat on the mat.");
        EmbeddingResponse response = model.call(new EmbeddingRequest(texts, EmbeddingOptions.builder().build()));

        List<float[]> expected = embedder.embedAll(texts);
        assertThat(response.getResults()).hasSize(3);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(response.getResults().get(i).getIndex()).isEqualTo(i);
            assertThat(response.getResults().get(i).getOutput()).containsExactly(expected.get(i));
        }
        assertThat(response.getMetadata().getModel()).isEqualTo("sentence-transformers/all-MiniLM-L6-v2");
    }

    @Test
    void reportsDimensionsWithoutEmbedding() {
        assertThat(model.dimensions()).isEqualTo(384);
        assertThat(model.embed("dimension check")).hasSize(384);
    }

    @Test
    void embedsDocumentsByTheirText() {
        Document document = new Document("doc-1", "Lucene scores documents with BM25.", java.util.Map.of());
        assertThat(model.embed(document)).containsExactly(embedder.embed("Lucene scores documents with BM25."));
    }

    @Test
    void embedsListsLikeTheEmbedder() {
        List<String> texts = List.of("one", "two");
        List<float[]> vectors = model.embed(texts);
        assertThat(vectors.get(0)).containsExactly(embedder.embed("one"));
        assertThat(vectors.get(1)).containsExactly(embedder.embed("two"));
    }

    @Test
    void refusesOptionsNamingAnotherModelOrSize() {
        EmbeddingRequest otherModel = new EmbeddingRequest(List.of("x"),
                EmbeddingOptions.builder().model("text-embedding-3-small").build());
        assertThatThrownBy(() -> model.call(otherModel)).hasMessageContaining("text-embedding-3-small");

        EmbeddingRequest otherSize = new EmbeddingRequest(List.of("x"),
                EmbeddingOptions.builder().dimensions(1536).build());
        assertThatThrownBy(() -> model.call(otherSize)).hasMessageContaining("1536");
    }

    @Test
    void overLongInputIsNotCut() {
        assertThatThrownBy(() -> model.embed("word ".repeat(300))).isInstanceOf(InputTooLongException.class);
    }
}
