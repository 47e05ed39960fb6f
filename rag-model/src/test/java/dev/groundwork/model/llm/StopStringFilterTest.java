package dev.groundwork.model.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringFilterTest {

    @Test
    void holdsBackPossibleStopPrefixesAndCutsAtTheStop() {
        StopStringFilter f = new StopStringFilter(List.of("###", "\nUser:"));
        assertThat(f.accept("Hello #")).isEqualTo("Hello ");
        assertThat(f.accept("# wor")).isEqualTo("## wor"); // "## " can no longer start "###"
        assertThat(f.accept("ld\nUs")).isEqualTo("ld");
        assertThat(f.stopped()).isFalse();
        assertThat(f.accept("er: next")).isEmpty();
        assertThat(f.stopped()).isTrue();
        assertThat(f.text()).isEqualTo("Hello ## world");
        assertThat(f.accept("more")).isEmpty();
    }

    @Test
    void releasesHeldTextAtTheEnd() {
        StopStringFilter f = new StopStringFilter(List.of("END"));
        assertThat(f.accept("the EN")).isEqualTo("the ");
        assertThat(f.released()).isEqualTo("the ");
        assertThat(f.finish()).isEqualTo("EN");
        assertThat(f.text()).isEqualTo("the EN");
    }

    @Test
    void withoutStopsEverythingPassesThrough() {
        StopStringFilter f = new StopStringFilter(List.of());
        assertThat(f.accept("a#b")).isEqualTo("a#b");
        assertThat(f.stopped()).isFalse();
    }
}
