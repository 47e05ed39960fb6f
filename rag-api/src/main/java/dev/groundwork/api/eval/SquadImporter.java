package dev.groundwork.api.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a SQuAD-format dataset (SQuAD v1.1, CMRC 2018) into a folder of documents, one text file per paragraph,
 * plus a JSONL dataset whose gold document for each question is the paragraph it was written on.
 *
 * <p>Layout written: {@code out/docs/<article-index>-<title>/p<paragraph-index>.txt} and {@code out/questions.jsonl}.
 * Each file starts with the article title as its first line, as a human would title a page.
 */
public final class SquadImporter {

    /** What was written. */
    public record Result(Path documents, Path questions, int paragraphs, int questionCount) {
    }

    private final JsonMapper json = JsonMapper.shared();

    /**
     * @param input a SQuAD JSON file, or a zip holding exactly one
     * @param maxParagraphs stop after this many paragraphs (for quick runs); {@code Integer.MAX_VALUE} for all
     */
    public Result importDataset(Path input, Path out, int maxParagraphs) throws IOException {
        JsonNode root = readRoot(input);
        Path docs = out.resolve("docs");
        Files.createDirectories(docs);
        List<EvalQuestion> questions = new ArrayList<>();
        int paragraphs = 0;
        JsonNode articles = root.get("data");
        if (articles == null || !articles.isArray()) {
            throw new IllegalArgumentException(input + ": not a SQuAD file (no 'data' array)");
        }
        articleLoop:
        for (int a = 0; a < articles.size(); a++) {
            JsonNode article = articles.get(a);
            String title = article.path("title").asString("article " + a).replace('_', ' ').strip();
            String folder = String.format("%03d-%s", a, safeName(title));
            JsonNode paras = article.path("paragraphs");
            for (int p = 0; p < paras.size(); p++) {
                if (paragraphs >= maxParagraphs) {
                    break articleLoop;
                }
                JsonNode para = paras.get(p);
                String source = folder + "/p" + String.format("%03d", p) + ".txt";
                Path file = docs.resolve(source);
                Files.createDirectories(file.getParent());
                Files.writeString(file, title + "\n\n" + para.path("context").asString().strip() + "\n",
                        StandardCharsets.UTF_8);
                paragraphs++;
                for (JsonNode qa : para.path("qas")) {
                    Set<String> answers = new LinkedHashSet<>();
                    qa.path("answers").forEach(ans -> answers.add(ans.path("text").asString().strip()));
                    List<String> all = new ArrayList<>(answers);
                    String reference = all.isEmpty() ? null : all.get(0);
                    List<String> aliases = all.isEmpty() ? List.of() : all.subList(1, all.size());
                    questions.add(new EvalQuestion(qa.path("id").asString(), qa.path("question").asString().strip(),
                            List.of(source), reference, aliases));
                }
            }
        }
        Path questionsFile = out.resolve("questions.jsonl");
        EvalDataset.write(questionsFile, questions);
        return new Result(docs, questionsFile, paragraphs, questions.size());
    }

    private JsonNode readRoot(Path input) throws IOException {
        if (input.getFileName().toString().endsWith(".zip")) {
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(input))) {
                ZipEntry entry;
                while ((entry = zip.getNextEntry()) != null) {
                    if (entry.getName().endsWith(".json")) {
                        return json.readTree((InputStream) zip);
                    }
                }
            }
            throw new IllegalArgumentException(input + ": the zip holds no .json file");
        }
        try (InputStream in = Files.newInputStream(input)) {
            return json.readTree(in);
        }
    }

    /** A file-system-safe folder name that keeps letters of any script. */
    static String safeName(String title) {
        String cleaned = title.replaceAll("[^\\p{L}\\p{N}]+", "-").replaceAll("(^-+|-+$)", "");
        cleaned = cleaned.isEmpty() ? "untitled" : cleaned;
        return cleaned.length() > 60 ? cleaned.substring(0, 60) : cleaned;
    }
}
