package dev.groundwork.ingest.chunk;

import static dev.groundwork.ingest.chunk.TestParsedDocuments.WORDS;
import static dev.groundwork.ingest.chunk.TestParsedDocuments.document;
import static dev.groundwork.ingest.chunk.TestParsedDocuments.sentences;
import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.ingest.parse.ParsedDocument;
import dev.groundwork.ingest.parse.TextBlock;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TokenBudgetChunkerTest {

    private static final DocumentRef REF = DocumentRef.of("docs", "guide/install.md");
    private static final Pattern WHOLE_SENTENCES = Pattern.compile("S\\d+( word)* end\\.(\\s+S\\d+( word)* end\\.)*");

    private final TokenBudgetChunker chunker = new TokenBudgetChunker(WORDS, new ChunkingOptions(20, 5));

    /** The invariants every chunking must keep, whatever the input. */
    private static void assertWellFormed(ParsedDocument document, List<Chunk> chunks, int maxTokens) {
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            assertThat(chunk.ordinal()).isEqualTo(i);
            assertThat(chunk.id()).isEqualTo(REF.documentId() + "#" + i);
            assertThat(chunk.text()).isEqualTo(document.text().substring(chunk.start(), chunk.end()));
            assertThat(WORDS.countTokens(chunk.text())).isLessThanOrEqualTo(maxTokens);
            assertThat(chunk.collection()).isEqualTo("docs");
            assertThat(chunk.source()).isEqualTo("guide/install.md");
            assertThat(chunk.title()).isEqualTo(document.title());
            for (TextBlock block : document.blocks()) {
                if (block.kind() == TextBlock.Kind.HEADING) {
                    assertThat(block.start() >= chunk.end() || block.end() <= chunk.start())
                            .as("chunk %d must not contain heading %s", i, document.textOf(block)).isTrue();
                }
            }
        }
    }

    @Test
    void headingPathsFollowTheSectionsAndHeadingOnlySectionsMakeNoChunk() {
        ParsedDocument document = document("Preamble before any heading.", "#1 Install", "Get the archive.",
                "#2 Linux", "Unpack it.", "#3 Debian", "Use apt.", "#2 Windows", "Run setup.", "#1 Usage",
                "#2 Basics", "Start it.");

        List<Chunk> chunks = chunker.chunk(REF, document);

        assertWellFormed(document, chunks, 20);
        assertThat(chunks).extracting(Chunk::text).containsExactly("Preamble before any heading.",
                "Get the archive.", "Unpack it.", "Use apt.", "Run setup.", "Start it.");
        assertThat(chunks).extracting(Chunk::headingPath).containsExactly(List.of(), List.of("Install"),
                List.of("Install", "Linux"), List.of("Install", "Linux", "Debian"), List.of("Install", "Windows"),
                List.of("Usage", "Basics"));
        assertThat(chunks.get(3).headingPathText()).isEqualTo("Install > Linux > Debian");
    }

    @Test
    void packsWholeSentencesWithinTheBudgetAcrossParagraphsOfOneSection() {
        // 6 sentences of 6 words per paragraph, two paragraphs: 72 words under a budget of 20.
        ParsedDocument document = document("#1 Long", sentences(1, 6, 6), sentences(7, 6, 6), "#1 Next", "Short.");

        List<Chunk> chunks = chunker.chunk(REF, document);

        assertWellFormed(document, chunks, 20);
        List<Chunk> longSection = chunks.stream().filter(c -> c.headingPath().equals(List.of("Long"))).toList();
        assertThat(longSection).hasSizeGreaterThan(3);
        assertThat(longSection).allSatisfy(c -> assertThat(c.text()).matches(WHOLE_SENTENCES));
        // Greedy packing: 3 sentences (18 words) fit, a fourth (24) would not; with overlap, 1 old + 2 new.
        assertThat(WORDS.countTokens(longSection.get(0).text())).isEqualTo(18);
        // Every sentence of the section is in some chunk.
        for (int s = 1; s <= 12; s++) {
            String marker = "S" + s + " ";
            assertThat(longSection).anySatisfy(c -> assertThat(c.text()).contains(marker));
        }
        assertThat(chunks.get(chunks.size() - 1).text()).isEqualTo("Short.");
    }

    @Test
    void overlapRepeatsTrailingWholeSentencesWithinTheOverlapBudget() {
        // Sentences of 4 words; overlap 5 fits exactly one trailing sentence.
        ParsedDocument document = document(sentences(1, 15, 4));

        List<Chunk> chunks = chunker.chunk(REF, document);

        assertWellFormed(document, chunks, 20);
        assertThat(chunks).hasSizeGreaterThan(2);
        for (int i = 1; i < chunks.size(); i++) {
            Chunk previous = chunks.get(i - 1);
            Chunk next = chunks.get(i);
            assertThat(next.start()).isGreaterThan(previous.start()).isLessThan(previous.end());
            assertThat(next.end()).isGreaterThan(previous.end());
            String shared = document.text().substring(next.start(), previous.end());
            assertThat(shared).matches(WHOLE_SENTENCES);
            assertThat(WORDS.countTokens(shared)).isEqualTo(4);
        }
    }

    @Test
    void noOverlapWhenTheLastSentenceIsLongerThanTheOverlapBudget() {
        ParsedDocument document = document(sentences(1, 6, 8));

        List<Chunk> chunks = chunker.chunk(REF, document);

        assertWellFormed(document, chunks, 20);
        assertThat(chunks).extracting(Chunk::text).allSatisfy(t -> assertThat(WORDS.countTokens(t)).isEqualTo(16));
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).start()).isGreaterThan(chunks.get(i - 1).end());
        }
    }

    @Test
    void aSentenceOverTheBudgetIsSplitAtWordsIntoPiecesThatFit() {
        StringBuilder longSentence = new StringBuilder("Begin");
        for (int i = 1; i < 50; i++) {
            longSentence.append(" w").append(i);
        }
        longSentence.append('.');
        ParsedDocument document = document("Short one. " + longSentence + " Tail sentence here.");

        List<Chunk> chunks = chunker.chunk(REF, document);

        assertWellFormed(document, chunks, 20);
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(3);
        // Words are never cut: every chunk starts and ends at a word boundary.
        for (Chunk chunk : chunks) {
            assertThat(chunk.start() == 0 || document.text().charAt(chunk.start() - 1) == ' ').isTrue();
            assertThat(chunk.end() == document.text().length() || document.text().charAt(chunk.end()) == ' ')
                    .isTrue();
        }
        String all = String.join(" ", chunks.stream().map(Chunk::text).toList());
        for (int i = 1; i < 49; i++) {
            assertThat(all).contains(" w" + i + " ");
        }
        assertThat(all).contains(" w49. Tail");
        assertThat(chunks.get(chunks.size() - 1).text()).endsWith("Tail sentence here.");
    }

    @Test
    void chineseTextWithoutSpacesIsCutAtSentenceEnds() {
        String chinese = "今天天气很好我们去公园散步。" + "公园里有很多人在跑步和打球。" + "我们在湖边坐了一会儿。"
                + "后来下雨了我们就回家了。" + "晚上我们一起吃了饭看了电影。";
        ParsedDocument document = document("#1 日记", chinese);

        List<Chunk> chunks = chunker.chunk(REF, document);

        assertWellFormed(document, chunks, 20);
        assertThat(chunks).hasSizeGreaterThan(2);
        for (Chunk chunk : chunks) {
            assertThat(chunk.text()).endsWith("。");
            assertThat(document.text().charAt(chunk.start() - 1)).isIn('。', '\n');
            assertThat(chunk.headingPath()).containsExactly("日记");
        }
    }

    @Test
    void aChineseSentenceOverTheBudgetIsCutAtCharacters() {
        String run = "这是一个非常非常长的句子没有任何标点符号也没有空格所以必须按照字符切分才能放进预算里面去";
        ParsedDocument document = document(run + "。");

        List<Chunk> chunks = chunker.chunk(REF, document);

        assertWellFormed(document, chunks, 20);
        assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(run + "。");
        assertThat(chunks).hasSizeGreaterThan(1);
    }

    @Test
    void theChunkPageIsThePageOfItsFirstBlock() {
        ParsedDocument document = document("@1 " + sentences(1, 3, 6), "@2 " + sentences(4, 3, 6));

        List<Chunk> chunks = chunker.chunk(REF, document);

        assertWellFormed(document, chunks, 20);
        assertThat(chunks.get(0).page()).isEqualTo(1);
        assertThat(chunks.get(chunks.size() - 1).page()).isEqualTo(2);
        for (Chunk chunk : chunks) {
            int expectedPage = chunk.text().startsWith("S1 ") || chunk.text().startsWith("S2 ")
                    || chunk.text().startsWith("S3 ") ? 1 : 2;
            assertThat(chunk.page()).isEqualTo(expectedPage);
        }
    }

    @Test
    void aChunkNeverSpansTwoPagesSoItsCitedPageIsWhereTheTextIs() {
        // Four short sentences would fit one 20-token chunk; the page break still separates them.
        ParsedDocument document = document("@1 " + sentences(1, 2, 3), "@2 " + sentences(3, 2, 3));

        List<Chunk> chunks = chunker.chunk(REF, document);

        assertWellFormed(document, chunks, 20);
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(0).page()).isEqualTo(1);
        assertThat(chunks.get(0).text()).contains("S1 ", "S2 ").doesNotContain("S3 ");
        assertThat(chunks.get(1).page()).isEqualTo(2);
        assertThat(chunks.get(1).text()).contains("S3 ", "S4 ").doesNotContain("S2 ");
    }

    @Test
    void outputIsDeterministicAndCarriesTheAcl() {
        DocumentRef ref = new DocumentRef(REF.documentId(), "docs", "guide/install.md", List.of("team-a"));
        ParsedDocument document = document("#1 A", sentences(1, 20, 5), "#2 B", sentences(21, 9, 3));

        List<Chunk> first = chunker.chunk(ref, document);
        List<Chunk> second = new TokenBudgetChunker(WORDS, new ChunkingOptions(20, 5)).chunk(ref, document);

        assertThat(second).isEqualTo(first);
        assertThat(first).allSatisfy(c -> assertThat(c.acl()).containsExactly("team-a"));
    }

    @Test
    void emptyOrHeadingOnlyDocumentsHaveNoChunks() {
        assertThat(chunker.chunk(REF, new ParsedDocument("Empty", "", List.of(), "text/plain"))).isEmpty();
        assertThat(chunker.chunk(REF, document("#1 Only", "#2 Headings"))).isEmpty();
    }
}
