package dev.groundwork.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SquadImporterTest {

    private static final String SQUAD = """
            {"version": "1.1", "data": [
              {"title": "Super_Bowl_50", "paragraphs": [
                {"context": "Super Bowl 50 was played on February 7, 2016.", "qas": [
                  {"id": "q1", "question": "When was Super Bowl 50 played?",
                   "answers": [{"text": "February 7, 2016", "answer_start": 28}, {"text": "February 7, 2016", "answer_start": 28},
                               {"text": "2016", "answer_start": 40}]}]},
                {"context": "The Denver Broncos won the game.", "qas": [
                  {"id": "q2", "question": "Who won?", "answers": [{"text": "Denver Broncos", "answer_start": 4}]}]}]},
              {"title": "战国无双3", "paragraphs": [
                {"context": "《战国无双3》是由光荣和ω-force开发的动作游戏。", "qas": [
                  {"id": "q3", "question": "谁开发了战国无双3？", "answers": [{"text": "光荣和ω-force", "answer_start": 9}]}]}]}
            ]}
            """;

    @Test
    void writesOneDocumentPerParagraphAndGoldLabelsPointingAtIt(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("squad.json");
        Files.writeString(input, SQUAD);
        SquadImporter.Result result = new SquadImporter().importDataset(input, dir.resolve("out"), Integer.MAX_VALUE);

        assertThat(result.paragraphs()).isEqualTo(3);
        assertThat(result.questionCount()).isEqualTo(3);
        List<EvalQuestion> questions = EvalDataset.read(result.questions());
        EvalQuestion first = questions.get(0);
        assertThat(first.goldDocuments()).containsExactly("000-Super-Bowl-50/p000.txt");
        assertThat(first.referenceAnswer()).isEqualTo("February 7, 2016");
        assertThat(first.answerAliases()).containsExactly("2016");
        assertThat(Files.readString(result.documents().resolve(first.goldDocuments().get(0))))
                .isEqualTo("Super Bowl 50\n\nSuper Bowl 50 was played on February 7, 2016.\n");
        EvalQuestion chinese = questions.get(2);
        assertThat(chinese.goldDocuments()).containsExactly("001-战国无双3/p000.txt");
        assertThat(Files.exists(result.documents().resolve(chinese.goldDocuments().get(0)))).isTrue();
    }

    @Test
    void readsZippedFilesAndStopsAtTheParagraphLimit(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("squad.json.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("dev-v1.1.json"));
            out.write(SQUAD.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        SquadImporter.Result result = new SquadImporter().importDataset(zip, dir.resolve("out"), 2);
        assertThat(result.paragraphs()).isEqualTo(2);
        assertThat(result.questionCount()).isEqualTo(2);
    }

    @Test
    void malformedDatasetLinesAreReportedWithFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("q.jsonl");
        Files.writeString(file, "{\"id\":\"a\",\"question\":\"q?\",\"gold_documents\":[\"x\"]}\n"
                + "{\"id\":\"b\",\"question\":\"q?\",\"gold_documents\":[]}\n");
        assertThatThrownBy(() -> EvalDataset.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("gold_documents");
    }
}
