package dev.groundwork.api.ask;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExtractiveAnswererTest {

    private final ExtractiveAnswerer answerer = new ExtractiveAnswerer();

    @Test
    void aHeadingWithoutAFullStopIsNotGluedToTheSentenceAfterIt() {
        // As Tika extracts a PDF page: the heading and the paragraph are separate blocks, separated by a blank line.
        List<ScoredChunk> passages = List.of(passage("benefits.pdf", 0,
                "Employee Benefits Guide 2026\n\nHolidays\n\nEvery employee receives 27 days of paid holiday."));

        Answer answer = answerer.answer("How many days of paid holiday do employees get?", passages);

        assertThat(answer.text()).isEqualTo("Every employee receives 27 days of paid holiday. [1]");
    }

    @Test
    void quotesTheSentenceThatHoldsTheAnswerAndCitesItsPassage() {
        List<ScoredChunk> passages = List.of(
                passage("acme.md", 0, "Acme is a toolmaker in Springfield. Acme sells anvils to coyotes."),
                passage("history.md", 0, "The Acme Corporation was founded in 1947 by Wile Smith. "
                        + "Acme grew quickly after the war."));

        Answer answer = answerer.answer("When was Acme founded?", passages);

        assertThat(answer.text()).isEqualTo("The Acme Corporation was founded in 1947 by Wile Smith. [1]");
        assertThat(answer.citations()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(1);
            assertThat(c.source()).isEqualTo("history.md");
            assertThat(c.snippet()).contains("founded in 1947");
        });
        assertThat(answer.answerer()).isEqualTo("extractive");
    }

    @Test
    void saysSoHonestlyWhenNoPassageAnswers() {
        List<ScoredChunk> passages = List.of(
                passage("acme.md", 0, "Acme is a toolmaker in Springfield. Acme sells anvils to coyotes."));

        Answer answer = answerer.answer("What is the boiling point of mercury?", passages);

        assertThat(answer.text()).isEqualTo(ExtractiveAnswerer.NO_ANSWER);
        assertThat(answer.citations()).isEmpty();
    }

    @Test
    void aQuestionOfOnlyStopWordsOrNoPassagesGetsNoAnswer() {
        assertThat(answerer.answer("What is it?", List.of(passage("a.md", 0, "It is what it is."))).citations())
                .isEmpty();
        assertThat(answerer.answer("When was Acme founded?", List.of()).text()).isEqualTo(ExtractiveAnswerer.NO_ANSWER);
    }

    @Test
    void numbersOnlyCitedPassagesInOrderOfFirstUse() {
        List<ScoredChunk> passages = List.of(
                passage("bread.md", 0, "Bread is baked daily in the village."),
                passage("seine.md", 0, "The Seine flows through Paris."),
                passage("misc.md", 0, "Cheese is made from milk."),
                passage("rhone.md", 0, "The Rhône flows through Lyon."));

        Answer answer = answerer.answer("Where do the Seine and the Rhône flow?", passages);

        assertThat(answer.text()).isEqualTo("The Seine flows through Paris. [1] The Rhône flows through Lyon. [2]");
        assertThat(answer.citations()).extracting(Citation::id, Citation::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "seine.md"),
                        org.assertj.core.groups.Tuple.tuple(2, "rhone.md"));
        assertThat(markers(answer.text())).containsExactlyElementsOf(
                answer.citations().stream().map(Citation::id).toList());
    }

    @Test
    void twoSentencesOfOnePassageShareItsNumber() {
        List<ScoredChunk> passages = List.of(passage("anvil.md", 0,
                "Anvils are made of steel. Nothing else matters here. Steel anvils last for decades."));

        Answer answer = answerer.answer("What are steel anvils?", passages);

        assertThat(answer.text()).isEqualTo("Anvils are made of steel. [1] Steel anvils last for decades. [1]");
        assertThat(answer.citations()).hasSize(1);
    }

    @Test
    void aSentenceRepeatedByOverlappingChunksIsQuotedOnceFromTheBetterRankedOne() {
        List<ScoredChunk> passages = List.of(
                passage("guide.md", 1, "Set the port with server.port in the configuration file."),
                passage("guide.md", 0, "Groundwork runs on Java. Set the port with server.port in the "
                        + "configuration file."));

        Answer answer = answerer.answer("How do I set the port?", passages);

        assertThat(answer.text()).isEqualTo("Set the port with server.port in the configuration file. [1]");
        assertThat(answer.citations()).singleElement().extracting(Citation::chunkId).isEqualTo("guide.md#1");
    }

    @Test
    void matchesJapaneseByCharacterBigrams() {
        List<ScoredChunk> passages = List.of(passage("tokyo.md", 0,
                "東京タワーは1958年に建てられた。高さは333メートルです。"));

        Answer answer = answerer.answer("東京タワーはいつ建てられましたか", passages);

        assertThat(answer.text()).startsWith("東京タワーは1958年に建てられた。").endsWith("[1]")
                .doesNotContain("333");
    }

    @Test
    void snippetsOfLongPassagesStayShortAndKeepTheCitedSentence() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            text.append("Filler sentence number ").append(i).append(" talks about nothing in particular. ");
        }
        text.append("The lighthouse was painted red in 1921. ");
        for (int i = 20; i < 40; i++) {
            text.append("Filler sentence number ").append(i).append(" talks about nothing in particular. ");
        }

        Answer answer = answerer.answer("When was the lighthouse painted red?", List.of(passage("l.md", 0,
                text.toString())));

        String snippet = answer.citations().get(0).snippet();
        assertThat(snippet).contains("The lighthouse was painted red in 1921.").startsWith("…").endsWith("…");
        assertThat(snippet.length()).isLessThanOrEqualTo(SnippetCutter.MAX_CHARS + 2);
    }

    private static List<Integer> markers(String text) {
        List<Integer> ids = new ArrayList<>();
        Matcher m = Pattern.compile("\\[(\\d+)]").matcher(text);
        while (m.find()) {
            int id = Integer.parseInt(m.group(1));
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static ScoredChunk passage(String source, int ordinal, String text) {
        Chunk chunk = new Chunk(source + "#" + ordinal, "doc-" + source, "default", source, source, List.of(), null, 0,
                text.length(), text, List.of(), ordinal);
        return new ScoredChunk(chunk, 1.0 / (ordinal + 1), 1, 1);
    }
}
