package dev.groundwork.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerMetricsTest {

    @Test
    void normalisesLikeTheSquadScript() {
        assertThat(AnswerNormaliser.normalise("The  Denver Broncos!")).isEqualTo("denver broncos");
        assertThat(AnswerNormaliser.normalise("an apple, a pear & THE plum.")).isEqualTo("apple pear plum");
        // "theatre" keeps its "the": only whole-word articles go.
        assertThat(AnswerNormaliser.normalise("Theatre")).isEqualTo("theatre");
        assertThat(AnswerNormaliser.normalise("Paris [1][2]")).isEqualTo("paris");
    }

    @Test
    void splitsChineseIntoCharactersButKeepsAsciiWords() {
        assertThat(AnswerNormaliser.tokens("2018年5月，在北京。")).containsExactly("2018", "年", "5", "月", "在", "北", "京");
        assertThat(AnswerNormaliser.tokens("iPhone手机")).containsExactly("iphone", "手", "机");
    }

    @Test
    void squadExamples() {
        // Articles and case do not count: exact.
        assertThat(AnswerMetrics.score("the Denver Broncos", List.of("Denver Broncos")))
                .isEqualTo(new AnswerMetrics(1, 1, 1));
        // 2 shared of 3 predicted and 2 gold: P 2/3, R 1, F1 0.8; the reference is contained.
        AnswerMetrics extra = AnswerMetrics.score("Denver Broncos won", List.of("Denver Broncos"));
        assertThat(extra.exactMatch()).isZero();
        assertThat(extra.f1()).isCloseTo(0.8, within(1e-9));
        assertThat(extra.contains()).isEqualTo(1);
        // Nothing shared.
        assertThat(AnswerMetrics.score("Carolina Panthers", List.of("Denver Broncos")))
                .isEqualTo(new AnswerMetrics(0, 0, 0));
    }

    @Test
    void takesTheBestReference() {
        // Gold 1 "Santa Clara, California": 2 of 3 shared both ways -> F1 2/3;
        // gold 2 "Levi's Stadium" -> [levis, stadium] shares 1 -> P 1/3, R 1/2, F1 0.4. The max is 2/3.
        AnswerMetrics m = AnswerMetrics.score("Santa Clara stadium", List.of("Santa Clara, California",
                "Levi's Stadium"));
        assertThat(m.f1()).isCloseTo(2 * (2.0 / 3) * (2.0 / 3) / (4.0 / 3), within(1e-9));
        assertThat(m.exactMatch()).isZero();
        assertThat(AnswerMetrics.score("Levi's Stadium.", List.of("Santa Clara", "Levi's Stadium")).exactMatch())
                .isEqualTo(1);
    }

    @Test
    void chineseIsScoredByCharacter() {
        // Predicted 北京大学 (4 chars) vs gold 北京 (2): 2 shared -> P 1/2, R 1, F1 2/3.
        AnswerMetrics m = AnswerMetrics.score("北京大学", List.of("北京"));
        assertThat(m.exactMatch()).isZero();
        assertThat(m.f1()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(m.contains()).isEqualTo(1);
        assertThat(AnswerMetrics.score("北京。", List.of("北京")).exactMatch()).isEqualTo(1);
        assertThat(AnswerMetrics.score("南京", List.of("北京")).f1()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void containsNeedsWholeTokensInOrder() {
        AnswerMetrics m = AnswerMetrics.score("Acme was founded in 1947 in Springfield. [1]", List.of("1947"));
        assertThat(m.contains()).isEqualTo(1);
        // 1 shared of 7 answer tokens: P 1/7, R 1 -> F1 0.25.
        assertThat(m.f1()).isCloseTo(0.25, within(1e-9));
        assertThat(AnswerMetrics.score("founded in 19470", List.of("1947")).contains()).isZero();
        assertThat(AnswerMetrics.score("Springfield in 1947", List.of("1947 in Springfield")).contains()).isZero();
        assertThat(AnswerMetrics.passageContains("It opened in 1960.", List.of("1947", "1960"))).isTrue();
        assertThat(AnswerMetrics.passageContains("It opened in 1960.", List.of("1947"))).isFalse();
    }

    @Test
    void needsAReference() {
        assertThatThrownBy(() -> AnswerMetrics.score("x", List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
