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
}
