package dev.groundwork.model.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HuggingFaceTokenCounterTest {

    @Test
    void refusesATokenizerThatTruncates() throws IOException {
        // Built without options, the tokenizer obeys the jar's tokenizer.json: truncation at 128.
        try (HuggingFaceTokenizer truncating = load(Map.of())) {
            assertThatThrownBy(() -> new HuggingFaceTokenCounter(truncating))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("truncat");
        }
    }

    @Test
    void countsPastTheTokenizerJsonLimit() throws IOException {
        try (HuggingFaceTokenizer tokenizer = load(Map.of("truncation", "false", "padding", "false"))) {
            TokenCounter counter = new HuggingFaceTokenCounter(tokenizer);
            assertThat(counter.countTokens("hello ".repeat(200))).isEqualTo(200);
            assertThat(counter.countTokens("Hello, world!")).isEqualTo(4);
            assertThat(counter.countTokens("")).isZero();
        }
    }

    private static HuggingFaceTokenizer load(Map<String, String> options) throws IOException {
        try (InputStream json = HuggingFaceTokenCounterTest.class.getClassLoader()
                .getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            return HuggingFaceTokenizer.newInstance(json, options);
        }
    }
}
