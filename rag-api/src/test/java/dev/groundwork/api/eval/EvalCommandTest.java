package dev.groundwork.api.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.chunk.DocumentRef;
import dev.groundwork.ingest.retrieve.RetrievalModes;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalCommandTest {

    /** A retriever that always ranks the given sources in this order. */
    private static Retriever ranking(String... sources) {
        return query -> {
            List<ScoredChunk> hits = new java.util.ArrayList<>();
            for (int i = 0; i < sources.length; i++) {
                DocumentRef ref = DocumentRef.of("c", sources[i]);
                hits.add(new ScoredChunk(new Chunk(ref.documentId() + "#0", ref.documentId(), "c", sources[i], "t",
                        List.of(), null, 0, 1, "x", List.of(), 0), sources.length - i, null, null));
            }
            return hits;
        };
    }

    @Test
    void printsTheMetricsOfEachModeAndWritesTheReport(@TempDir Path dir) throws Exception {
        Path dataset = dir.resolve("q.jsonl");
        Files.writeString(dataset, """
                {"id": "1", "question": "first?", "gold_documents": ["a.txt"]}
                {"id": "2", "question": "second?", "gold_documents": ["c.txt"]}
                """);
        RetrievalModes modes = new RetrievalModes(ranking("a.txt", "b.txt", "c.txt"), ranking("b.txt", "x.txt"),
                ranking("c.txt", "a.txt"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = EvalCommand.commandLine(dataDir -> modes, new PrintStream(out, true, StandardCharsets.UTF_8))
                .execute("--dataset", dataset.toString(), "--data-dir", dir.toString(), "--out", dir.toString());

        assertThat(code).isZero();
        String table = out.toString(StandardCharsets.UTF_8);
        // bm25: gold at ranks 1 and 3 -> MRR (1 + 1/3) / 2; vector finds neither; hybrid: ranks 2 and 1.
        assertThat(table).containsPattern("bm25\\s+2\\s+1\\.0000\\s+1\\.0000\\s+0\\.6667");
        assertThat(table).containsPattern("vector\\s+2\\s+0\\.0000\\s+0\\.0000\\s+0\\.0000");
        assertThat(table).containsPattern("hybrid\\s+2\\s+1\\.0000\\s+1\\.0000\\s+0\\.7500");
        assertThat(Files.readString(dir.resolve("report.json"))).contains("\"mrrAt10\"", "\"hybrid\"");
    }

    @Test
    void kAddsARecallColumnAtThatCutoff(@TempDir Path dir) throws Exception {
        Path dataset = dir.resolve("q.jsonl");
        Files.writeString(dataset, """
                {"id": "1", "question": "first?", "gold_documents": ["c.txt"]}
                {"id": "2", "question": "second?", "gold_documents": ["a.txt"]}
                """);
        // Gold at ranks 3 and 1: recall@2 is 0.5, recall@5 and @10 are 1.
        Retriever ranked = ranking("a.txt", "b.txt", "c.txt");
        RetrievalModes modes = new RetrievalModes(ranked, ranked, ranked);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = EvalCommand.commandLine(dataDir -> modes, new PrintStream(out, true, StandardCharsets.UTF_8))
                .execute("--dataset", dataset.toString(), "--data-dir", dir.toString(), "--modes", "bm25",
                        "--k", "2", "--out", dir.toString());

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("R@2")
                .containsPattern("bm25\\s+2\\s+1\\.0000\\s+1\\.0000\\s+0\\.5000");
        assertThat(Files.readString(dir.resolve("report.json"))).contains("\"recallAtK\" : 0.5", "\"k\" : 2");
    }

    @Test
    void importSquadNeedsNoEvaluationOptions(@TempDir Path dir) throws Exception {
        Path squad = dir.resolve("s.json");
        Files.writeString(squad, """
                {"data": [{"title": "T", "paragraphs": [{"context": "C.", "qas": [
                  {"id": "q", "question": "Q?", "answers": [{"text": "C", "answer_start": 0}]}]}]}]}
                """);
        int code = EvalCommand.commandLine(d -> { throw new AssertionError("no store needed"); }, System.out)
                .execute("import-squad", "--input", squad.toString(), "--out", dir.resolve("out").toString());
        assertThat(code).isZero();
        assertThat(dir.resolve("out/questions.jsonl")).exists();
    }

    @Test
    void evaluationWithoutADatasetIsAUsageError() {
        int code = EvalCommand.commandLine(d -> null, System.out).execute("--data-dir", "x");
        assertThat(code).isEqualTo(2);
    }

    private static final RetrievalModes MODES = new RetrievalModes(ranking("a.txt", "b.txt"), ranking("b.txt"),
            ranking("a.txt"));

    private static Path dataset(Path dir) throws Exception {
        Path dataset = dir.resolve("q.jsonl");
        Files.writeString(dataset, """
                {"id": "1", "question": "first <b>?", "gold_documents": ["a.txt"], "reference_answer": "alpha"}
                """);
        return dataset;
    }

    private static EvalContext withAnswers(dev.groundwork.model.llm.TextGenerator judge) {
        ScoredChunk a = Passages.passage("a.txt", "The answer is alpha.");
        return new EvalContext(MODES, (question, collection) -> Passages.answered("alpha [1]", 0, a), "fake", 3,
                "fake-embedder", judge);
    }

    @Test
    void answersAreScoredAndReportedInJsonAndHtml(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = EvalCommand.commandLine((EvalCommand.ContextFactory) (d, m) -> withAnswers(null),
                new PrintStream(out, true, StandardCharsets.UTF_8)).execute("--dataset", dataset(dir).toString(),
                "--data-dir", dir.toString(), "--answers", "--out", dir.resolve("r").toString());

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("exact match\\s+1\\.0000")
                .containsPattern("citations with gold doc\\s+1\\.0000");
        tools.jackson.databind.JsonNode report = tools.jackson.databind.json.JsonMapper.shared()
                .readTree(dir.resolve("r/report.json").toFile());
        assertThat(report.path("settings").path("answerer").asString()).isEqualTo("fake");
        assertThat(report.path("settings").path("embeddingModel").asString()).isEqualTo("fake-embedder");
        assertThat(report.path("answers").path("summary").path("f1").asDouble()).isEqualTo(1.0);
        assertThat(report.path("answers").path("questions").get(0).path("answer").asString()).isEqualTo("alpha [1]");
        assertThat(report.path("retrieval").get(0).path("perQuestion").get(0).path("firstGoldRank").asInt()).isEqualTo(1);
        String html = Files.readString(dir.resolve("r/report.html"));
        assertThat(html).contains("first &lt;b&gt;?", "<svg").doesNotContain("first <b>?", "<script");
    }

    @Test
    void theJudgeWithoutAModelIsAClearError(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = EvalCommand.commandLine((EvalCommand.ContextFactory) (d, m) -> withAnswers(null),
                System.out);
        cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cli.execute("--dataset", dataset(dir).toString(), "--data-dir", dir.toString(), "--judge",
                "--out", dir.resolve("r").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("judge needs a language model", "rag.model.path");
        assertThat(dir.resolve("r")).doesNotExist();
    }

    @Test
    void theJudgeScoresAnswersWithTheConfiguredModel(@TempDir Path dir) throws Exception {
        var model = new dev.groundwork.api.support.ScriptedTextGenerator(4096, "{\"score\": 3, \"reason\": \"partly\"}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = EvalCommand.commandLine((EvalCommand.ContextFactory) (d, m) -> withAnswers(model),
                new PrintStream(out, true, StandardCharsets.UTF_8)).execute("--dataset", dataset(dir).toString(),
                "--data-dir", dir.toString(), "--judge", "--modes", "bm25", "--out", dir.resolve("r").toString());
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("judge: faithfulness\\s+3\\.00 / 5 \\(1 scored");
        String json = Files.readString(dir.resolve("r/report.json"));
        assertThat(json).contains("\"judgeModel\" : \"scripted-7b\"", "partly");
    }

    @Test
    void compareShowsBothReportsAndTheDifference(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        EvalCommand.commandLine(d -> MODES, System.out).execute("--dataset", dataset(dir).toString(),
                "--data-dir", dir.toString(), "--modes", "hybrid", "--out", a.toString());
        // B: hybrid now ranks the gold document second.
        RetrievalModes worse = new RetrievalModes(MODES.bm25(), MODES.vector(), ranking("b.txt", "a.txt"));
        EvalCommand.commandLine(d -> worse, System.out).execute("--dataset", dataset(dir).toString(),
                "--data-dir", dir.toString(), "--modes", "hybrid", "--out", b.toString());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = EvalCommand.commandLine(d -> { throw new AssertionError("no store needed"); },
                new PrintStream(out, true, StandardCharsets.UTF_8)).execute("--compare",
                a.resolve("report.json").toString(), b.resolve("report.json").toString(), "--out", dir.toString());
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .containsPattern("hybrid\\s+mrrAt10\\s+1\\.0000\\s+0\\.5000\\s+-0\\.5000");
        assertThat(Files.readString(dir.resolve("compare.html"))).contains("class=\"n down\">-0.5000");
    }

    @Test
    void compareRejectsAFileThatIsNotAReport(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("x.json");
        Files.writeString(bad, "{\"hello\": 1}");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = EvalCommand.commandLine(d -> null, System.out);
        cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        assertThat(cli.execute("--compare", bad.toString(), bad.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("x.json", "not a report.json");
    }
}
