package dev.groundwork.model.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model folder built from the class-path MiniLM files, which are ours at test time. */
class OnnxSentenceEmbedderDirectoryTest {

    @TempDir
    static Path root;

    private static Path folder;
    private static OnnxSentenceEmbedder fromFolder;
    private static OnnxSentenceEmbedder fromClassPath;

    @BeforeAll
    static void buildFolder() throws IOException {
        folder = Files.createDirectories(root.resolve("all-MiniLM-L6-v2"));
        copyResource("all-minilm-l6-v2.onnx", folder.resolve("model.onnx"));
        copyResource("all-minilm-l6-v2-tokenizer.json", folder.resolve("tokenizer.json"));
        Files.writeString(folder.resolve("sentence_bert_config.json"),
                "{\"max_seq_length\": 256, \"do_lower_case\": false}");
        Files.writeString(folder.resolve("groundwork.json"), "{\"queryPrefix\": \"query: \"}");
        // A small batch size, so that the comparison below also crosses batch boundaries differently.
        fromFolder = OnnxSentenceEmbedder.fromDirectory(folder, 5);
        fromClassPath = OnnxSentenceEmbedder.allMiniLmL6V2();
    }

    @AfterAll
    static void close() {
        fromFolder.close();
        fromClassPath.close();
    }

    @Test
    void folderModelGivesTheSameVectorsAsTheClassPathOne() {
        List<String> texts = new ArrayList<>(Texts.SHORT);
        texts.addAll(Texts.LONG);
        List<float[]> expected = fromClassPath.embedAll(texts);
        List<float[]> actual = fromFolder.embedAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(Vectors.cosine(actual.get(i), expected.get(i))).as(texts.get(i))
                    .isGreaterThanOrEqualTo(0.99999);
        }
    }

    @Test
    void readsTheWindowAndNameFromTheFolder() {
        assertThat(fromFolder.modelId()).isEqualTo("all-MiniLM-L6-v2");
        assertThat(fromFolder.maxInputTokens()).isEqualTo(254);
        assertThat(fromFolder.dimensions()).isEqualTo(384);
    }

    @Test
    void queriesGetTheFolderPrefix() {
        assertThat(fromFolder.queryPrefix()).isEqualTo("query: ");
        float[] query = fromFolder.embedQuery("hybrid search");
        assertThat(Vectors.cosine(query, fromFolder.embed("query: hybrid search"))).isGreaterThan(0.999999);
        assertThat(Vectors.cosine(query, fromFolder.embed("hybrid search"))).isLessThan(0.99);
    }

    @Test
    void agreesWithLangchain4jOnLongInputsWhenItsTruncationIsRemoved() throws IOException {
        // langchain4j's default model cuts at the 128 of the jar's tokenizer.json; with truncation and padding
        // removed from that file its encoder sees whole inputs (it splits only above 510 tokens) and must agree.
        Path untruncated = Files.createDirectories(root.resolve("untruncated"));
        JsonObject tokenizer = JsonParser.parseString(
                Files.readString(folder.resolve("tokenizer.json"), StandardCharsets.UTF_8)).getAsJsonObject();
        tokenizer.add("truncation", null);
        tokenizer.add("padding", null);
        Path tokenizerFile = untruncated.resolve("tokenizer.json");
        Files.writeString(tokenizerFile, tokenizer.toString(), StandardCharsets.UTF_8);
        OnnxEmbeddingModel reference = new OnnxEmbeddingModel(folder.resolve("model.onnx"), tokenizerFile,
                PoolingMode.MEAN);

        List<float[]> ours = fromFolder.embedAll(Texts.LONG);
        for (int i = 0; i < Texts.LONG.size(); i++) {
            String text = Texts.LONG.get(i);
            assertThat(fromFolder.tokenCounter().countTokens(text)).as(text).isBetween(150, 254);
            float[] theirs = reference.embed(text).content().vector();
            assertThat(Vectors.cosine(ours.get(i), theirs)).as(text).isGreaterThanOrEqualTo(0.9999);
        }
    }

    @Test
    void folderWithoutTokenizerIsRefusedNamingTheFile() throws IOException {
        Path incomplete = Files.createDirectories(root.resolve("no-tokenizer"));
        Files.copy(folder.resolve("model.onnx"), incomplete.resolve("model.onnx"));
        assertThatThrownBy(() -> OnnxSentenceEmbedder.fromDirectory(incomplete))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenizer.json")
                .hasMessageContaining(incomplete.toString());
    }

    @Test
    void corruptModelIsRefusedNamingTheFile() throws IOException {
        Path corrupt = Files.createDirectories(root.resolve("corrupt"));
        Files.writeString(corrupt.resolve("model.onnx"), "not an onnx graph");
        Files.copy(folder.resolve("tokenizer.json"), corrupt.resolve("tokenizer.json"));
        assertThatThrownBy(() -> OnnxSentenceEmbedder.fromDirectory(corrupt))
                .isInstanceOf(RuntimeException.class)
                .hasMessageContaining(corrupt.resolve("model.onnx").toString());
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = OnnxSentenceEmbedderDirectoryTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            Files.copy(in, target);
        }
    }
}
