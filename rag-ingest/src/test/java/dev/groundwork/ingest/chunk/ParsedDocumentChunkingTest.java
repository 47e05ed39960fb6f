package dev.groundwork.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.groundwork.ingest.parse.ParsedDocument;
import dev.groundwork.ingest.parse.TestDocuments;
import dev.groundwork.ingest.parse.TextBlock;
import dev.groundwork.ingest.parse.TikaDocumentParser;
import dev.groundwork.model.tokenize.TokenCounter;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parser and chunker together on real files, and the chunker with the real MiniLM WordPiece tokenizer. */
class ParsedDocumentChunkingTest {

    private static final DocumentRef REF = DocumentRef.of("docs", "manual.docx");
    private static HuggingFaceTokenizer tokenizer;
    private static TokenCounter miniLm;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadTokenizer() throws Exception {
        // The tokenizer.json bundled in langchain4j's MiniLM jar; truncation off so counts are never capped.
        try (InputStream in = ParsedDocumentChunkingTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            assertThat(in).as("all-minilm-l6-v2-tokenizer.json on the test classpath").isNotNull();
            tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("truncation", "false", "padding", "false"));
        }
        miniLm = text -> tokenizer.encode(text, false, false).getIds().length;
    }

    @AfterAll
    static void closeTokenizer() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    @Test
    void docxHeadingsBecomeChunkHeadingPaths() throws Exception {
        Path docx = TestDocuments.docx(dir.resolve("manual.docx"), "Manual", List.of(
                "#1 Install", "Download the archive from the release page.", "#2 Linux",
                "Unpack it with tar and run the script.", "#2 Windows", "Run the installer as administrator.",
                "#1 Upgrade", "Stop the service first."));
        ParsedDocument document = new TikaDocumentParser().parse(docx);

        List<Chunk> chunks = new TokenBudgetChunker(miniLm, ChunkingOptions.defaults()).chunk(REF, document);

        assertThat(document.blocks()).filteredOn(b -> b.kind() == TextBlock.Kind.HEADING)
                .extracting(TextBlock::level).containsExactly(1, 2, 2, 1);
        assertThat(chunks).extracting(Chunk::headingPath).containsExactly(List.of("Install"),
                List.of("Install", "Linux"), List.of("Install", "Windows"), List.of("Upgrade"));
        assertThat(chunks).extracting(Chunk::text).containsExactly("Download the archive from the release page.",
                "Unpack it with tar and run the script.", "Run the installer as administrator.",
                "Stop the service first.");
        assertThat(chunks).allSatisfy(c -> assertThat(c.title()).isEqualTo("Manual"));
    }

    @Test
    void pdfChunksKnowTheirPage() throws Exception {
        Path pdf = TestDocuments.pdf(dir.resolve("paper.pdf"), "Paper", List.of(
                List.of("Page one has an introduction to the whole topic."),
                List.of("Page two has the results of the experiment.")), null);
        ParsedDocument document = new TikaDocumentParser().parse(pdf);

        // A budget so small that the two pages' sentences (9-10 tokens each) cannot share a chunk.
        List<Chunk> chunks = new TokenBudgetChunker(miniLm, new ChunkingOptions(16, 0)).chunk(REF, document);

        assertThat(chunks).extracting(Chunk::page).containsExactly(1, 2);
        assertThat(chunks.get(1).text()).isEqualTo("Page two has the results of the experiment.");
    }

    @Test
    void realTokenizerCountsStayWithinTheBudget() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            body.append("Sentence ").append(i).append(" mentions tokenization, subword-units and naïve café prices. ");
        }
        body.append("Ein sehr langes Kompositum: Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen ".repeat(12));
        body.append("中文句子也要正确切分。这是第二句话！这是第三句吗？");
        ParsedDocument document = TestParsedDocuments.document("#1 Mixed", body.toString().strip());
        ChunkingOptions options = new ChunkingOptions(64, 16);

        List<Chunk> chunks = new TokenBudgetChunker(miniLm, options).chunk(REF, document);

        assertThat(chunks).hasSizeGreaterThan(10);
        for (Chunk chunk : chunks) {
            assertThat(miniLm.countTokens(chunk.text())).isLessThanOrEqualTo(64);
            assertThat(chunk.text()).isEqualTo(document.text().substring(chunk.start(), chunk.end()));
        }
        assertThat(chunks.get(chunks.size() - 1).text()).endsWith("这是第三句吗？");
    }
}
