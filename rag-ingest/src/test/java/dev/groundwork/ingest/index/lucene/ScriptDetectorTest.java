package dev.groundwork.ingest.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScriptDetectorTest {

    @Test
    void chineseWithSomeEnglishNamesIsChinese() {
        assertThat(ScriptDetector.isChinese("使用Docker部署服务")).isTrue();
        assertThat(ScriptDetector.isChinese("今天天气很好")).isTrue();
    }

    @Test
    void englishQuotingOneChineseTermIsEnglish() {
        assertThat(ScriptDetector.isChinese("The word 你好 means hello in Mandarin Chinese")).isFalse();
        assertThat(ScriptDetector.isChinese("plain English")).isFalse();
        assertThat(ScriptDetector.isChinese("12345 !!")).isFalse();
    }
}
