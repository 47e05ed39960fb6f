package dev.groundwork.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TikaDocumentParserTest {

    private static final TikaDocumentParser PARSER = new TikaDocumentParser();

    @TempDir
    Path dir;

    /** Blocks as "H2 text" / "B text" / "B@3 text" (page 3), checking offsets on the way. */
    static List<String> describe(ParsedDocument document) {
        List<String> out = new ArrayList<>();
        int previousEnd = 0;
        for (TextBlock block : document.blocks()) {
            String text = document.text().substring(block.start(), block.end());
            assertThat(text).isEqualTo(text.strip()).isNotBlank();
            assertThat(block.start()).isGreaterThanOrEqualTo(previousEnd);
            previousEnd = block.end();
            String kind = block.kind() == TextBlock.Kind.HEADING ? "H" + block.level() : "B";
            out.add(kind + (block.page() == null ? "" : "@" + block.page()) + " " + text);
        }
        return out;
    }

    private ParsedDocument parseString(String fileName, String content) throws DocumentParseException {
        return PARSER.parse(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), fileName);
    }

    @Test
    void pdfBlocksCarryTheirPageAndTheTitleComesFromTheDocumentInfo() throws Exception {
        Path pdf = TestDocuments.pdf(dir.resolve("report.pdf"), "Quarterly Report", List.of(
                List.of("Revenue grew in the first quarter.", "Costs stayed flat."),
                List.of("The second page talks about hiring.")), null);

        ParsedDocument document = PARSER.parse(pdf);

        assertThat(document.title()).isEqualTo("Quarterly Report");
        assertThat(document.mediaType()).isEqualTo("application/pdf");
        assertThat(document.blocks()).allSatisfy(b -> assertThat(b.page()).isNotNull());
        String page1 = pageText(document, 1);
        String page2 = pageText(document, 2);
        assertThat(page1).contains("Revenue grew in the first quarter.").contains("Costs stayed flat.")
                .doesNotContain("hiring");
        assertThat(page2).isEqualTo("The second page talks about hiring.");
    }

    private static String pageText(ParsedDocument document, int page) {
        return String.join(" ", document.blocks().stream().filter(b -> b.page() == page).map(document::textOf)
                .toList());
    }

    @Test
    void docxHeadingStylesBecomeHeadingsAndCorePropertiesTheTitle() throws Exception {
        Path docx = TestDocuments.docx(dir.resolve("guide.docx"), "Admin Guide", List.of("^CONFIDENTIAL DRAFT",
                "#1 Install", "Download the archive.", "#2 Linux", "Unpack it with tar.", "|Port|8080",
                "#2 Windows", "Run the installer."));

        ParsedDocument document = PARSER.parse(docx);

        assertThat(document.title()).isEqualTo("Admin Guide");
        assertThat(describe(document)).containsExactly("H1 Install", "B Download the archive.", "H2 Linux",
                "B Unpack it with tar.", "B Port | 8080", "H2 Windows", "B Run the installer.");
        assertThat(document.text()).as("running headers are left out").doesNotContain("CONFIDENTIAL");
        assertThat(document.mediaType())
                .isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    }

    @Test
    void docxWithoutTitleFallsBackToItsFirstHeading1() throws Exception {
        Path docx = TestDocuments.docx(dir.resolve("notes.docx"), null,
                List.of("Preface text.", "#2 Minor", "#1 Release Notes", "Fixed bugs."));

        assertThat(PARSER.parse(docx).title()).isEqualTo("Release Notes");
    }

    @Test
    void htmlKeepsHeadingsParagraphsListItemsAndTableRowsButNotHeadOrScripts() throws Exception {
        String html = """
                <!DOCTYPE html><html><head><title>  Cluster   Handbook </title>
                <style>body { color: red }</style><script>var hidden = 1;</script></head>
                <body><h1>Overview</h1><p>Nodes   talk over
                  gRPC.&nbsp;Always.</p>
                <h2>Ports</h2><ul><li>8080 for HTTP</li><li>9090 for <b>metrics</b></li></ul>
                <table><tr><th>Name</th><th>Port</th></tr><tr><td>api</td><td>8080</td></tr></table>
                <div>Loose text in a div</div><pre>line one
                  indented line</pre></body></html>""";

        ParsedDocument document = parseString("handbook.html", html);

        assertThat(document.title()).isEqualTo("Cluster Handbook");
        assertThat(document.mediaType()).isEqualTo("text/html");
        assertThat(describe(document)).containsExactly("H1 Overview", "B Nodes talk over gRPC. Always.", "H2 Ports",
                "B 8080 for HTTP", "B 9090 for metrics", "B Name | Port", "B api | 8080", "B Loose text in a div",
                "B line one\n  indented line");
        assertThat(document.text()).doesNotContain("hidden").doesNotContain("color");
    }

    @Test
    void markdownHeadingsListsAndCodeFences() throws Exception {
        String markdown = """
                Setext Title
                ============

                Intro paragraph that
                spans two lines.

                ## Install ##

                - first item
                - second item
                  continues here

                Sub Part
                --------

                ```bash
                # not a heading
                make install
                ```

                | Key | Value |
                |-----|-------|
                | a   | 1     |

                ---

                > quoted text
                ###### Deep
                #hashtag is text
                """;

        ParsedDocument document = parseString("readme.md", markdown);

        assertThat(document.title()).isEqualTo("Setext Title");
        assertThat(document.mediaType()).isEqualTo("text/markdown");
        assertThat(describe(document)).containsExactly("H1 Setext Title", "B Intro paragraph that spans two lines.",
                "H2 Install", "B first item", "B second item continues here", "H2 Sub Part",
                "B ```bash\n# not a heading\nmake install\n```", "B Key | Value", "B a | 1", "B quoted text",
                "H6 Deep", "B #hashtag is text");
    }

    @Test
    void markdownFrontMatterTitleWinsOverTheFirstHeading() throws Exception {
        ParsedDocument document = parseString("post.markdown", "---\ntitle: \"Front Title\"\ndate: 2024-01-01\n---\n"
                + "# Heading\n\nBody.\n");

        assertThat(document.title()).isEqualTo("Front Title");
        assertThat(describe(document)).containsExactly("H1 Heading", "B Body.");
    }

    @Test
    void plainTextSplitsParagraphsOnBlankLinesAndCleansCharacters() throws Exception {
        Path file = dir.resolve("notes.v2.txt");
        Files.writeString(file, "\uFEFFFirst  para\u00ADgraph\r\nsame paragraph.\r\n \r\n\r\nSecond\u0000 one.\n\n\n",
                StandardCharsets.UTF_8);

        ParsedDocument document = PARSER.parse(file);

        assertThat(document.title()).isEqualTo("notes.v2");
        assertThat(document.mediaType()).isEqualTo("text/plain");
        assertThat(describe(document)).containsExactly("B First paragraph same paragraph.", "B Second one.");
        assertThat(document.text()).isEqualTo("First paragraph same paragraph.\n\nSecond one.");
    }

    @Test
    void plainTextInWindows1252IsDecoded() throws Exception {
        byte[] latin = "Caf\u00e9 cr\u00e8me costs \u20ac3 and the na\u00efve d\u00e9cor is lovely, said the review."
                .getBytes("windows-1252");

        ParsedDocument document = PARSER.parse(new ByteArrayInputStream(latin), "menu.txt");

        assertThat(document.text()).contains("Caf\u00e9 cr\u00e8me").contains("\u20ac3");
    }

    @Test
    void supportsIsDecidedByExtension() {
        assertThat(PARSER.supports("a.PDF")).isTrue();
        assertThat(PARSER.supports("dir/b.markdown")).isTrue();
        assertThat(PARSER.supports("c.htm")).isTrue();
        assertThat(PARSER.supports("d.docx")).isTrue();
        assertThat(PARSER.supports("e.xyz")).isFalse();
        assertThat(PARSER.supports("README")).isFalse();
        assertThat(PARSER.supports("archive.tar.gz")).isFalse();
    }

    @Test
    void unsupportedExtensionIsRejectedWithItsName() throws IOException {
        Path file = Files.writeString(dir.resolve("data.xyz"), "some text");

        assertThatThrownBy(() -> PARSER.parse(file)).isInstanceOf(UnsupportedDocumentException.class)
                .hasMessageContaining("data.xyz").hasMessageContaining("'.xyz'");
    }

    @Test
    void corruptPdfFailsNamingTheFile() throws IOException {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        Path file = Files.write(dir.resolve("broken.pdf"), noise);

        assertThatThrownBy(() -> PARSER.parse(file)).isInstanceOf(DocumentParseException.class)
                .isNotInstanceOf(UnsupportedDocumentException.class)
                .hasMessageContaining("broken.pdf").hasMessageContaining("corrupt");
    }

    @Test
    void aPdfThatFailsToLoadLeavesNoFileOpen() throws IOException {
        // a PDF header, then noise: detected as PDF, rejected by PDFBox while loading
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        byte[] header = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, noise, 0, header.length);
        Path file = Files.write(dir.resolve("damaged.pdf"), noise);
        Path descriptors = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(descriptors), "needs Linux's /proc/self/fd");

        long before = openFiles(descriptors);
        for (int i = 0; i < 40; i++) {
            assertThatThrownBy(() -> PARSER.parse(file)).isInstanceOf(DocumentParseException.class)
                    .hasMessageContaining("damaged.pdf");
        }
        assertThat(openFiles(descriptors) - before).as("file descriptors left open by 40 failed parses")
                .isLessThan(5);
    }

    private static long openFiles(Path descriptors) throws IOException {
        try (java.util.stream.Stream<Path> open = Files.list(descriptors)) {
            return open.count();
        }
    }

    @Test
    void encryptedPdfFailsSayingSo() throws IOException {
        Path file = TestDocuments.pdf(dir.resolve("secret.pdf"), "Secret", List.of(List.of("Hidden words.")),
                "user-secret");

        assertThatThrownBy(() -> PARSER.parse(file)).isInstanceOf(DocumentParseException.class)
                .hasMessageContaining("secret.pdf").hasMessageContaining("encrypted");
    }

    @Test
    void emptyFilesYieldNoTextErrors() throws IOException {
        for (String name : List.of("empty.txt", "empty.pdf", "empty.docx", "empty.md", "empty.html")) {
            Path file = Files.write(dir.resolve(name), new byte[0]);
            assertThatThrownBy(() -> PARSER.parse(file)).as(name).isInstanceOf(DocumentParseException.class)
                    .hasMessageContaining(name).hasMessageContaining("no text could be extracted");
        }
        Path blank = Files.writeString(dir.resolve("blank.md"), "\n   \n\t\n");
        assertThatThrownBy(() -> PARSER.parse(blank)).hasMessageContaining("no text could be extracted");
    }

    @Test
    void pdfWithoutTextLayerIsAnEmptyDocument() throws IOException {
        Path file = TestDocuments.pdf(dir.resolve("scan.pdf"), null, List.of(List.of()), null);

        assertThatThrownBy(() -> PARSER.parse(file)).isInstanceOf(DocumentParseException.class)
                .hasMessageContaining("scan.pdf").hasMessageContaining("no text could be extracted");
    }

    @Test
    void textBeyondTheLimitIsAnErrorNotATruncation() throws Exception {
        TikaDocumentParser small = new TikaDocumentParser(100);
        String longText = "word ".repeat(50);
        Path txt = Files.writeString(dir.resolve("long.txt"), longText);
        Path html = Files.writeString(dir.resolve("long.html"), "<html><body><p>" + longText + "</p></body></html>");
        Path pdf = TestDocuments.pdf(dir.resolve("long.pdf"), null, List.of(List.of(longText.substring(0, 120)),
                List.of(longText.substring(0, 120))), null);

        for (Path file : List.of(txt, html, pdf)) {
            assertThatThrownBy(() -> small.parse(file)).as(file.toString()).isInstanceOf(DocumentParseException.class)
                    .hasMessageContaining(file.getFileName().toString()).hasMessageContaining("too large");
        }
        assertThat(small.parse(Files.writeString(dir.resolve("short.txt"), "fits")).text()).isEqualTo("fits");
    }

    @Test
    void missingFileIsAParseError() {
        assertThatThrownBy(() -> PARSER.parse(dir.resolve("gone.pdf"))).isInstanceOf(DocumentParseException.class)
                .hasMessageContaining("gone.pdf").hasMessageContaining("not found");
    }

    @Test
    void oneParserServesConcurrentCallsWithTheSameResults() throws Exception {
        Path docx = TestDocuments.docx(dir.resolve("a.docx"), "A", List.of("#1 One", "Body one.", "#2 Two", "Body two."));
        Path pdf = TestDocuments.pdf(dir.resolve("b.pdf"), "B", List.of(List.of("First page."), List.of("Second.")),
                null);
        Path md = Files.writeString(dir.resolve("c.md"), "# C\n\nText of c.\n");
        List<Path> files = List.of(docx, pdf, md);
        List<ParsedDocument> expected = new ArrayList<>();
        for (Path file : files) {
            expected.add(PARSER.parse(file));
        }

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ParsedDocument>> results = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (Path file : files) {
                    results.add(pool.submit(() -> PARSER.parse(file)));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(expected.get(i % files.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
