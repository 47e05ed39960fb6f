package dev.groundwork.model.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StringLiteralsTest {

    @Test
    void aLiteralEndsAtItsOwnQuoteNotAtAnEscapedOneOrTheOtherKind() {
        String s = "x = 'it\\'s \"not\" here' ~ \"b\"";
        int open = s.indexOf('\'');
        assertThat(StringLiterals.end(s, open, s.length())).isEqualTo(s.indexOf("' ~"));
        int second = s.indexOf("\"b");
        assertThat(StringLiterals.end(s, second, s.length())).isEqualTo(s.length() - 1);
    }

    @Test
    void anUnclosedLiteralRunsToTheLimit() {
        String s = "'never closed not";
        assertThat(StringLiterals.end(s, 0, s.length())).isEqualTo(s.length());
        assertThat(StringLiterals.end(s, 0, 5)).isEqualTo(5);
        assertThat(NotPrecedence.rewrite(" a and 'x not y")).isEqualTo(" a and 'x not y");
    }
}
