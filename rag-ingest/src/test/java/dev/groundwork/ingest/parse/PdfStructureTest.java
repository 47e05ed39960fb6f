package dev.groundwork.ingest.parse;

import static dev.groundwork.ingest.parse.TikaDocumentParserTest.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.chunk.ChunkingOptions;
import dev.groundwork.ingest.chunk.DocumentRef;
import dev.groundwork.ingest.chunk.TokenBudgetChunker;
import dev.groundwork.model.tokenize.TokenCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Headings, paragraphs and running text of untagged PDFs, found from fonts and positions only. */
class PdfStructureTest {

    private static final TikaDocumentParser PARSER = new TikaDocumentParser();
    private static final TokenCounter WORDS = text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;
    private static final Path BENEFITS_GUIDE = Path.of("..", "examples", "docs", "benefits-guide.pdf");

    @TempDir
    Path dir;

    private Path report() throws Exception {
        return new TestPdf()
                .heading("Annual Safety Report", 20)
                .heading("Fire Drills", 15)
                .text("Every site runs two fire drills a year, one of them", "without notice to the staff.")
                .space(8)
                .text("The drill ends when the last person is counted.")
                .heading("Evacuation routes", TestPdf.BODY)
                .text("Routes are posted next to every lift.")
                .heading("Chemical Storage", 15)
                .text("Solvents are kept in the ventilated cabinet in room 4.")
                .page()
                .text("Acids and bases are stored apart, each on its own tray.")
                .save(dir.resolve("safety.pdf"), null);
    }

    @Test
    void titleSectionsAndABoldSubsectionBecomeHeadingsAtTheirLevelsOnTheirPages() throws Exception {
        ParsedDocument document = PARSER.parse(report());

        assertThat(describe(document)).containsExactly(
                "H1@1 Annual Safety Report",
                "H2@1 Fire Drills",
                "B@1 Every site runs two fire drills a year, one of them without notice to the staff.",
                "B@1 The drill ends when the last person is counted.",
                "H3@1 Evacuation routes",
                "B@1 Routes are posted next to every lift.",
                "H2@1 Chemical Storage",
                "B@1 Solvents are kept in the ventilated cabinet in room 4.",
                "B@2 Acids and bases are stored apart, each on its own tray.");
        assertThat(document.title()).as("no metadata title: the level-1 heading on page 1").isEqualTo(
                "Annual Safety Report");
        assertThat(document.mediaType()).isEqualTo("application/pdf");
    }

    @Test
    void theMetadataTitleWinsOverTheFirstHeading() throws Exception {
        Path pdf = new TestPdf().heading("Cover Heading", 18).text("Some body text goes here.")
                .save(dir.resolve("titled.pdf"), "Metadata Title");

        assertThat(PARSER.parse(pdf).title()).isEqualTo("Metadata Title");
    }

    @Test
    void withoutAnInformationTitleTheXmpTitleIsTheTitle() throws Exception {
        Path pdf = new TestPdf().heading("Cover Heading", 18).text("Some body text goes here.")
                .xmpTitle("Title From XMP").save(dir.resolve("xmp.pdf"), null);

        assertThat(PARSER.parse(pdf).title()).isEqualTo("Title From XMP");
    }

    @Test
    void filledInFormFieldsFollowThePageTextOnTheirPage() throws Exception {
        Path pdf = new TestPdf().heading("Leave Request", 16).text("Fill in the fields below.")
                .page().text("Manager approval.").formField("employee", "Jane Doe")
                .save(dir.resolve("form.pdf"), null);

        assertThat(describe(PARSER.parse(pdf))).containsExactly("H1@1 Leave Request",
                "B@1 Fill in the fields below.", "B@2 Manager approval.", "B@2 employee: Jane Doe");
    }

    @Test
    void aTwoLineLargeHeadingIsOneHeadingButALargeParagraphIsBody() throws Exception {
        Path pdf = new TestPdf()
                .heading("Guidelines for Working Safely", 16).line("in Shared Laboratories", 16, true)
                .text("Body text of the guideline, long enough to be the body size.", "It goes on for a while.")
                .space(8)
                .line("This introduction is set large, as some brochures do, and it", 14, false)
                .line("runs over four lines, which no heading does, so it stays a", 14, false)
                .line("paragraph of body text even though its font is larger than", 14, false)
                .line("the body text around it", 14, false)
                .space(8)
                .text("More body text follows here, enough of it that the body size", "stays the size that most "
                        + "letters of the document are set in, while", "the large paragraph above has fewer "
                        + "letters than all of the", "body text in this small document taken together, which is",
                        "what makes the body size the body size.")
                .save(dir.resolve("large.pdf"), null);

        assertThat(describe(PARSER.parse(pdf))).containsExactly(
                "H1@1 Guidelines for Working Safely in Shared Laboratories",
                "B@1 Body text of the guideline, long enough to be the body size. It goes on for a while.",
                "B@1 This introduction is set large, as some brochures do, and it runs over four lines, which no "
                        + "heading does, so it stays a paragraph of body text even though its font is larger than "
                        + "the body text around it",
                "B@1 More body text follows here, enough of it that the body size stays the size that most letters "
                        + "of the document are set in, while the large paragraph above has fewer letters than all "
                        + "of the body text in this small document taken together, which is what makes the body "
                        + "size the body size.");
    }

    @Test
    void aShortBoldLineAtBodySizeIsTheLowestHeadingButALongBoldSentenceIsBody() throws Exception {
        Path pdf = new TestPdf()
                .heading("Lab Rules", 16)
                .text("Read these rules before your first day in the lab.")
                .space(8)
                .bold("Protective gear")
                .text("Goggles and gloves are worn at all times.")
                .space(8)
                .bold("Anyone who ignores these rules will be asked to leave the lab at once.")
                .space(8)
                .text("Visitors sign in at the front desk.")
                .save(dir.resolve("rules.pdf"), null);

        assertThat(describe(PARSER.parse(pdf))).containsExactly(
                "H1@1 Lab Rules",
                "B@1 Read these rules before your first day in the lab.",
                "H2@1 Protective gear",
                "B@1 Goggles and gloves are worn at all times.",
                "B@1 Anyone who ignores these rules will be asked to leave the lab at once.",
                "B@1 Visitors sign in at the front desk.");
    }

    @Test
    void aBoldLineInsideAParagraphIsNoHeading() throws Exception {
        Path pdf = new TestPdf()
                .text("The one rule that matters most is simple:")
                .text("the last person out locks the door and")
                .bold("never leaves the key")
                .text("under the mat or anywhere near the entrance.")
                .save(dir.resolve("inline.pdf"), null);

        assertThat(describe(PARSER.parse(pdf))).singleElement().asString().startsWith("B@1 The one rule")
                .contains("locks the door and never leaves the key under the mat");
    }

    @Test
    void runningHeadersAndPageNumberFootersAreDroppedFromTheText() throws Exception {
        Path pdf = new TestPdf()
                .runningHeader("ACME Corp - Internal Handbook")
                .runningFooter("Page %d of %n")
                .heading("Handbook", 18)
                .text("Welcome to the company handbook.")
                .page()
                .text("Expenses are approved by your manager.")
                .page()
                .text("Laptops are returned on the last day.")
                .save(dir.resolve("handbook.pdf"), null);

        ParsedDocument document = PARSER.parse(pdf);

        assertThat(document.text()).doesNotContain("ACME").doesNotContain("Page 1").doesNotContain("of 3");
        assertThat(describe(document)).containsExactly("H1@1 Handbook", "B@1 Welcome to the company handbook.",
                "B@2 Expenses are approved by your manager.", "B@3 Laptops are returned on the last day.");
    }

    private static final List<String> BODIES = List.of("Unpack the parts.", "Mount the frame.", "Fit the wheels.",
            "Adjust the brakes.", "Pump the tyres.", "Ride away.");

    @Test
    void aChaptersRunningHeaderWithItsPageNumberIsDroppedThoughItIsOnFewerThanHalfThePages() throws Exception {
        TestPdf pdf = new TestPdf();
        for (int page = 1; page <= 6; page++) {
            if (page > 1) {
                pdf.page();
            }
            if (page <= 3) {
                pdf.pageHeader("Chapter 1: Setup " + page);
            }
            pdf.text(BODIES.get(page - 1));
        }

        ParsedDocument document = PARSER.parse(pdf.save(dir.resolve("book.pdf"), null));

        assertThat(document.text()).doesNotContain("Setup");
        assertThat(describe(document)).containsExactly("B@1 " + BODIES.get(0), "B@2 " + BODIES.get(1),
                "B@3 " + BODIES.get(2), "B@4 " + BODIES.get(3), "B@5 " + BODIES.get(4), "B@6 " + BODIES.get(5));
    }

    @Test
    void aNumberedChapterHeadingAtTheTopOfEveryPageIsNotTakenForARunningHeader() throws Exception {
        Path pdf = new TestPdf()
                .heading("Chapter 1", 16).text("The scope of the policy.")
                .page().heading("Chapter 2", 16).text("Who does what.")
                .page().heading("Chapter 3", 16).text("How audits run.")
                .save(dir.resolve("chapters.pdf"), null);

        assertThat(describe(PARSER.parse(pdf))).containsExactly("H1@1 Chapter 1", "B@1 The scope of the policy.",
                "H1@2 Chapter 2", "B@2 Who does what.", "H1@3 Chapter 3", "B@3 How audits run.");
    }

    @Test
    void aLonePageNumberIsDroppedEvenOnAShortDocument() throws Exception {
        Path pdf = new TestPdf().runningFooter("- %d -").text("Only one page of text here.")
                .save(dir.resolve("short.pdf"), null);

        assertThat(describe(PARSER.parse(pdf))).containsExactly("B@1 Only one page of text here.");
    }

    @Test
    void linesAreJoinedIntoParagraphsAndOnlyLineBreakHyphensAreRemoved() throws Exception {
        Path pdf = new TestPdf()
                .text("A well-known rule: every exam-", "ple is checked by a well-", "known reviewer before it",
                        "ships to customers.")
                .space(8)
                .text("- first bullet of a list", "- second bullet of a list")
                .save(dir.resolve("hyphens.pdf"), null);

        assertThat(describe(PARSER.parse(pdf))).containsExactly(
                "B@1 A well-known rule: every example is checked by a well-known reviewer before it ships to customers.",
                "B@1 - first bullet of a list", "B@1 - second bullet of a list");
    }

    @Test
    void aSectionRunningOntoTheNextPageKeepsItsHeadingPathThere() throws Exception {
        ParsedDocument document = PARSER.parse(report());

        List<Chunk> chunks = new TokenBudgetChunker(WORDS, ChunkingOptions.defaults())
                .chunk(DocumentRef.of("docs", "safety.pdf"), document);

        assertThat(chunks).extracting(Chunk::page, Chunk::headingPath, Chunk::text).containsExactly(
                tuple(1, List.of("Annual Safety Report", "Fire Drills"),
                        "Every site runs two fire drills a year, one of them without notice to the staff.\n\n"
                                + "The drill ends when the last person is counted."),
                tuple(1,
                        List.of("Annual Safety Report", "Fire Drills", "Evacuation routes"),
                        "Routes are posted next to every lift."),
                tuple(1, List.of("Annual Safety Report", "Chemical Storage"),
                        "Solvents are kept in the ventilated cabinet in room 4."),
                tuple(2, List.of("Annual Safety Report", "Chemical Storage"),
                        "Acids and bases are stored apart, each on its own tray."));
    }

    @Test
    void theBenefitsGuideExampleHasItsHeadingsAndItsFirstChunkStartsWithTheSentence() throws Exception {
        ParsedDocument document = PARSER.parse(BENEFITS_GUIDE);

        assertThat(document.title()).isEqualTo("Employee Benefits Guide 2026");
        assertThat(document.blocks()).filteredOn(b -> b.kind() == TextBlock.Kind.HEADING)
                .extracting(document::textOf, TextBlock::page).containsExactly(
                        tuple("Employee Benefits Guide 2026", 1),
                        tuple("Holidays", 1),
                        tuple("Parental leave", 1),
                        tuple("Health insurance", 2),
                        tuple("Learning budget", 2));
        assertThat(describe(document)).contains("B@1 Parents receive 20 weeks of fully paid parental leave, which "
                + "can be taken within two years of the birth or adoption of a child.");

        List<Chunk> chunks = new TokenBudgetChunker(WORDS, ChunkingOptions.defaults())
                .chunk(DocumentRef.of("handbook", "benefits-guide.pdf"), document);

        Chunk first = chunks.get(0);
        assertThat(first.text()).startsWith("Every full-time employee receives 27 days of paid holiday")
                .doesNotContain("Employee Benefits Guide").doesNotContain("Holidays");
        assertThat(first.headingPath()).containsExactly("Holidays");
        assertThat(chunks).extracting(Chunk::headingPath).containsExactly(List.of("Holidays"),
                List.of("Parental leave"), List.of("Health insurance"), List.of("Learning budget"));
    }

    @Test
    void theSameParserGivesTheSameBlocksForAFileAndItsStream() throws Exception {
        Path pdf = report();

        try (var in = Files.newInputStream(pdf)) {
            assertThat(PARSER.parse(in, "safety.pdf")).isEqualTo(PARSER.parse(pdf));
        }
    }
}
