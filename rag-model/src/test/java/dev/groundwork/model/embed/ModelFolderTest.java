package dev.groundwork.model.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a folder's configuration; the model file is only looked for, never loaded, so it may be empty. */
class ModelFolderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsToA512WindowMeanPoolingAndNoPrefix() throws IOException {
        minimalFolder();
        ModelFolder folder = ModelFolder.read(dir);
        assertThat(folder.window()).isEqualTo(512);
        assertThat(folder.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(folder.queryPrefix()).isEmpty();
        assertThat(folder.modelFile()).isEqualTo(dir.resolve("model.onnx"));
        assertThat(folder.modelId()).isEqualTo(dir.getFileName().toString());
    }

    @Test
    void findsTheModelUnderOnnxSubfolder() throws IOException {
        Files.createDirectories(dir.resolve("onnx"));
        Files.writeString(dir.resolve("onnx").resolve("model.onnx"), "");
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        assertThat(ModelFolder.read(dir).modelFile()).isEqualTo(dir.resolve("onnx").resolve("model.onnx"));
    }

    @Test
    void capsTheWindowByThePositionEmbeddings() throws IOException {
        minimalFolder();
        Files.writeString(dir.resolve("config.json"), "{\"max_position_embeddings\": 128}");
        assertThat(ModelFolder.read(dir).window()).isEqualTo(128);
        Files.writeString(dir.resolve("config.json"), "{\"max_position_embeddings\": 8192}");
        assertThat(ModelFolder.read(dir).window()).isEqualTo(512);
    }

    @Test
    void sentenceBertMaxSeqLengthWins() throws IOException {
        minimalFolder();
        Files.writeString(dir.resolve("config.json"), "{\"max_position_embeddings\": 512}");
        Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256}");
        assertThat(ModelFolder.read(dir).window()).isEqualTo(256);
    }

    @Test
    void readsClsPooling() throws IOException {
        minimalFolder();
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling").resolve("config.json"),
                "{\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": false}");
        assertThat(ModelFolder.read(dir).pooling()).isEqualTo(Pooling.CLS);
    }

    @Test
    void refusesAnUnsupportedPooling() throws IOException {
        minimalFolder();
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling").resolve("config.json"),
                "{\"pooling_mode_cls_token\": false, \"pooling_mode_mean_tokens\": false, "
                        + "\"pooling_mode_max_tokens\": true}");
        assertThatThrownBy(() -> ModelFolder.read(dir)).hasMessageContaining("1_Pooling");
    }

    @Test
    void takesTheQueryPromptFromSentenceTransformersConfigUnlessGroundworkJsonSetsOne() throws IOException {
        minimalFolder();
        String bge = "为这个句子生成表示以用于检索相关文章：";
        Files.writeString(dir.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"" + bge + "\", \"document\": \"\"}}");
        assertThat(ModelFolder.read(dir).queryPrefix()).isEqualTo(bge);
        Files.writeString(dir.resolve("groundwork.json"), "{\"queryPrefix\": \"query: \"}");
        assertThat(ModelFolder.read(dir).queryPrefix()).isEqualTo("query: ");
    }

    @Test
    void missingModelIsNamed() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        assertThatThrownBy(() -> ModelFolder.read(dir)).hasMessageContaining("model.onnx");
    }

    @Test
    void missingFolderIsNamed() {
        Path absent = dir.resolve("absent");
        assertThatThrownBy(() -> ModelFolder.read(absent)).hasMessageContaining(absent.toString());
    }

    @Test
    void malformedConfigIsNamedWithItsField() throws IOException {
        minimalFolder();
        Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": \"long\"}");
        assertThatThrownBy(() -> ModelFolder.read(dir))
                .hasMessageContaining("sentence_bert_config.json")
                .hasMessageContaining("max_seq_length");
        Files.writeString(dir.resolve("sentence_bert_config.json"), "{not json");
        assertThatThrownBy(() -> ModelFolder.read(dir)).hasMessageContaining("sentence_bert_config.json");
    }

    private void minimalFolder() throws IOException {
        Files.writeString(dir.resolve("model.onnx"), "");
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
    }
}
