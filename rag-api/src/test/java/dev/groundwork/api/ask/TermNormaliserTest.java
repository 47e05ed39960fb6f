package dev.groundwork.api.ask;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TermNormaliserTest {

    private final TermNormaliser normaliser = new TermNormaliser();

    @Test
    void dropsStopWordsLowercasesAndStems() {
        assertThat(normaliser.terms("When was the ACME Company founded, and by whom?"))
                .containsExactly("acme", "company", "found");
        assertThat(normaliser.terms("founding founds Founded")).containsExactly("found", "found", "found");
        assertThat(normaliser.terms("libraries classes bus")).containsExactly("library", "class", "bus");
    }

    @Test
    void splitsCjkRunsIntoBigramsAndKeepsLatinWordsApart() {
        assertThat(normaliser.terms("東京タワー is tall")).containsExactly("東京", "京タ", "タワ", "ワー", "tall");
        assertThat(normaliser.terms("猫")).containsExactly("猫");
        // はいつ holds only particles: no term; 建て keeps its kanji.
        assertThat(normaliser.terms("タワーはいつ建てられた")).containsExactly("タワ", "ワー", "ーは", "つ建", "建て");
    }

    @Test
    void foldsCompatibilityForms() {
        assertThat(normaliser.terms("ＡＢＣ１２３")).containsExactly("abc123");
    }
}
