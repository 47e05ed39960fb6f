package dev.groundwork.api.ask;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.List;
import org.junit.jupiter.api.Test;

class CitationMarkersTest {

    private final CitationMarkers markers = new CitationMarkers();
    private final List<ScoredChunk> five = Passages.of("Alpha text.", "Beta text.", "Gamma text.", "Delta text.",
            "Epsilon text.");

    private CitationMarkers.Resolved resolve(String text) {
        return markers.resolve(text, five);
    }

    private static List<String> sources(CitationMarkers.Resolved resolved) {
        return resolved.citations().stream().map(Citation::source).toList();
    }

    @Test
    void keepsOnlyCitedPassagesRenumberedInOrderOfFirstUse() {
        CitationMarkers.Resolved r = resolve("Gamma is third [3]. Alpha comes first [1]. Gamma again [3].");

        assertThat(r.text()).isEqualTo("Gamma is third [1]. Alpha comes first [2]. Gamma again [1].");
        assertThat(sources(r)).containsExactly("p3.md", "p1.md");
        assertThat(r.citations()).extracting(Citation::id).containsExactly(1, 2);
        assertThat(r.citations().get(0).chunkId()).isEqualTo("p3.md#0");
        assertThat(r.citations().get(0).snippet()).isEqualTo("Gamma text.");
        assertThat(r.citations().get(0).score()).isEqualTo(1.0 / 3);
        assertThat(r.danglingMarkers()).isZero();
    }

    @Test
    void groupsAndAdjacentMarkersAreRewrittenIdById() {
        CitationMarkers.Resolved r = resolve("Both hold [4, 2]. Also [5][4]; and [2;5].");

        assertThat(r.text()).isEqualTo("Both hold [1, 2]. Also [3][1]; and [2, 3].");
        assertThat(sources(r)).containsExactly("p4.md", "p2.md", "p5.md");
    }

    @Test
    void zeroAndOutOfRangeMarkersAreRemovedAndCounted() {
        CitationMarkers.Resolved r = resolve("Nothing [0]. Too far [99]. Real [2]. Huge [12345678901234].");

        assertThat(r.text()).isEqualTo("Nothing. Too far. Real [1]. Huge.");
        assertThat(r.danglingMarkers()).isEqualTo(3);
        assertThat(sources(r)).containsExactly("p2.md");
    }

    @Test
    void aDanglingIdInsideAGroupLeavesTheRestOfTheGroup() {
        CitationMarkers.Resolved r = resolve("Mixed [7, 3, 0] here.");

        assertThat(r.text()).isEqualTo("Mixed [1] here.");
        assertThat(r.danglingMarkers()).isEqualTo(2);
    }

    @Test
    void aRepeatedIdInOneGroupIsKeptOnceAndIsNotDangling() {
        CitationMarkers.Resolved r = resolve("Twice [2, 2] and [2][2].");

        assertThat(r.text()).isEqualTo("Twice [1] and [1][1].");
        assertThat(r.danglingMarkers()).isZero();
        assertThat(r.citations()).hasSize(1);
    }

    @Test
    void markersInsideCodeAreLeftAlone() {
        String text = "Read the first item with `items[0]` [2].\n```java\nint x = a[4];\n```\nThen [4].";

        CitationMarkers.Resolved r = resolve(text);

        assertThat(r.text()).isEqualTo("Read the first item with `items[0]` [1].\n```java\nint x = a[4];\n```\nThen [2].");
        assertThat(r.danglingMarkers()).isZero();
        assertThat(sources(r)).containsExactly("p2.md", "p4.md");
        assertThat(CitationMarkers.markerIds(text)).containsExactly(2, 4);
    }

    @Test
    void anUnclosedFenceProtectsToTheEnd() {
        CitationMarkers.Resolved r = resolve("See [1].\n```\nvalues[3] = 0;");

        assertThat(r.text()).isEqualTo("See [1].\n```\nvalues[3] = 0;");
        assertThat(r.citations()).hasSize(1);
    }

    @Test
    void markdownLinksAndNonNumericBracketsAreNotMarkers() {
        CitationMarkers.Resolved r = resolve("See [the guide](http://x/y) and [note] and [1a] but [ 3 ].");

        assertThat(r.text()).isEqualTo("See [the guide](http://x/y) and [note] and [1a] but [1].");
        assertThat(sources(r)).containsExactly("p3.md");
        assertThat(resolve("[2](http://example.com)").citations()).isEmpty();
    }

    @Test
    void textWithoutMarkersHasNoCitations() {
        CitationMarkers.Resolved r = resolve("I cannot answer that from the documents.");

        assertThat(r.text()).isEqualTo("I cannot answer that from the documents.");
        assertThat(r.citations()).isEmpty();
        assertThat(r.danglingMarkers()).isZero();
    }

    @Test
    void withoutPassagesEveryMarkerDangles() {
        CitationMarkers.Resolved r = markers.resolve("[1] Claim [2].", List.of());

        assertThat(r.text()).isEqualTo("Claim.");
        assertThat(r.danglingMarkers()).isEqualTo(2);
    }

    @Test
    void theExtractiveAnswersMarkersAreAlreadyFinal() {
        List<ScoredChunk> passages = Passages.of("The Seine flows through Paris.", "The Rhône flows through Lyon.");
        Answer answer = new ExtractiveAnswerer().answer("Where do the Seine and the Rhône flow?", passages);

        CitationMarkers.Resolved r = markers.resolve(answer.text(), answer.citations().stream()
                .map(c -> passages.stream().filter(p -> p.chunk().id().equals(c.chunkId())).findFirst().orElseThrow())
                .toList());

        assertThat(r.text()).isEqualTo(answer.text());
        assertThat(r.citations()).extracting(Citation::chunkId)
                .containsExactlyElementsOf(answer.citations().stream().map(Citation::chunkId).toList());
    }
}
