package dev.groundwork.model.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxSentenceEmbedderTest {

    private static OnnxSentenceEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = OnnxSentenceEmbedder.allMiniLmL6V2();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void describesAllMiniLm() {
        assertThat(embedder.modelId()).isEqualTo("sentence-transformers/all-MiniLM-L6-v2");
        assertThat(embedder.dimensions()).isEqualTo(384);
        assertThat(embedder.maxInputTokens()).isEqualTo(254);
        assertThat(embedder.queryPrefix()).isEmpty();
    }

    @Test
    void agreesWithLangchain4jInProcessModel() {
        // langchain4j obeys the jar's tokenizer.json, which truncates at 128 tokens (126 without [CLS]/[SEP]):
        // only inputs inside both windows can be compared with it (longer ones: OnnxSentenceEmbedderDirectoryTest).
        AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
        List<float[]> ours = embedder.embedAll(Texts.SHORT);
        for (int i = 0; i < Texts.SHORT.size(); i++) {
            String text = Texts.SHORT.get(i);
            assertThat(embedder.tokenCounter().countTokens(text)).as(text).isLessThanOrEqualTo(126);
            float[] theirs = reference.embed(text).content().vector();
            assertThat(Vectors.cosine(ours.get(i), theirs)).as(text).isGreaterThanOrEqualTo(0.9999);
        }
    }

    @Test
    void vectorsAreUnitLength() {
        for (float[] vector : embedder.embedAll(Texts.SHORT)) {
            assertThat(vector).hasSize(384);
            assertThat(Vectors.norm(vector)).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void paraphraseRanksAboveUnrelatedSentence() {
        String[][] triples = {
                {"How do I reset my password?", "I forgot my password and need to change it.",
                        "The train to Berlin leaves at noon."},
                {"A man is playing a guitar.", "Someone strums a guitar.", "A chef is slicing onions in a kitchen."},
                {"The stock market fell sharply today.", "Share prices dropped steeply on the exchange today.",
                        "My cat loves sleeping in the sun."},
                {"今天天气很好。", "今天是个晴朗的好天气。", "他正在写一篇关于数据库索引的论文。"},
        };
        for (String[] triple : triples) {
            List<float[]> v = embedder.embedAll(List.of(triple));
            assertThat(Vectors.cosine(v.get(0), v.get(1))).as(triple[0])
                    .isGreaterThan(Vectors.cosine(v.get(0), v.get(2)) + 0.1);
        }
    }

    @Test
    void countsContentTokensWithoutSpecialTokens() {
        // [hello] [,] [world] [!]: the uncased WordPiece vocabulary splits punctuation; [CLS]/[SEP] not counted.
        assertThat(embedder.tokenCounter().countTokens("Hello, world!")).isEqualTo(4);
        // BERT's tokenizer puts each CJK character in its own token.
        assertThat(embedder.tokenCounter().countTokens("机器学习")).isEqualTo(4);
        assertThat(embedder.tokenCounter().countTokens("")).isZero();
        assertThat(embedder.tokenCounter()).isSameAs(embedder.tokenCounter());
    }

    @Test
    void countsBeyondTheWindowInsteadOfTruncating() {
        String text = "hello ".repeat(300);
        assertThat(embedder.tokenCounter().countTokens(text)).isEqualTo(300);
    }

    @Test
    void acceptsTheFullWindowAndRejectsOneTokenMore() {
        assertThat(embedder.embed("hello ".repeat(254))).hasSize(384);

        assertThatThrownBy(() -> embedder.embed("hello ".repeat(255)))
                .isInstanceOfSatisfying(InputTooLongException.class, e -> {
                    assertThat(e.tokens()).isEqualTo(255);
                    assertThat(e.maxTokens()).isEqualTo(254);
                });
    }

    @Test
    void tooLongInputIsNamedByItsIndex() {
        List<String> texts = List.of("short", "fine too", "word ".repeat(300));
        assertThatThrownBy(() -> embedder.embedAll(texts))
                .isInstanceOf(InputTooLongException.class)
                .hasMessageContaining("input 2 has 300 tokens");
    }

    @Test
    void batchedVectorsEqualSingleOnesInInputOrder() {
        // 31 short + 3 long + 8 more = 42 texts: two batches of 32 after sorting by length.
        List<String> texts = new ArrayList<>(Texts.SHORT);
        texts.addAll(Texts.LONG);
        for (int i = 0; i < 11; i++) {
            texts.add("Sentence number " + i + " of the batching test.");
        }
        List<float[]> batched = embedder.embedAll(texts);
        assertThat(batched).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(Vectors.cosine(batched.get(i), embedder.embed(texts.get(i)))).as(texts.get(i))
                    .isGreaterThanOrEqualTo(0.99999);
        }
    }

    @Test
    void embedsQueriesLikePassagesForASymmetricModel() {
        String query = "what is hybrid search?";
        assertThat(Vectors.cosine(embedder.embedQuery(query), embedder.embed(query))).isGreaterThan(0.999999);
    }

    @Test
    void emptyListGivesNoVectors() {
        assertThat(embedder.embedAll(List.of())).isEmpty();
    }

    @Test
    void nullInputIsRejected() {
        List<String> texts = new ArrayList<>();
        texts.add(null);
        assertThatThrownBy(() -> embedder.embedAll(texts)).isInstanceOf(NullPointerException.class);
    }
}
