package dev.groundwork.model.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stories260K tokenizer (SentencePiece-style BPE with byte fallback) from ../shared/models. */
class LlmTokenizerTest {

    private static LlmTokenizer tokenizer;

    @BeforeAll
    static void open() {
        String shared = System.getProperty("groundwork.shared.dir");
        Path dir = shared == null ? null : Path.of(shared, "models", "stories260K");
        assumeTrue(dir != null && Files.isDirectory(dir), "skipped: ../shared/models/stories260K not found");
        tokenizer = LlmTokenizer.fromModelFolder(dir);
    }

    @AfterAll
    static void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    @Test
    void bosIsAddedExactlyOnce() {
        long[] plain = tokenizer.encodePrompt("Once upon a time");
        assertThat(plain[0]).isEqualTo(1);
        assertThat(plain[1]).isNotEqualTo(1);
        // a prompt that already starts with BOS (as a chat template writes it) gets no second one
        assertThat(tokenizer.encodePrompt("<s>Once upon a time")).containsExactly(plain);
        assertThat(tokenizer.countTokens("Once upon a time")).isEqualTo(plain.length);
    }

    @Test
    void longPromptsAreNotTruncated() {
        String text = "Once upon a time there was a cat. ".repeat(200);
        long[] ids = tokenizer.encodePrompt(text);
        assertThat(ids.length).isGreaterThan(1500);
        assertThat(tokenizer.decode(ids).equals(text)).as("decoded text round-trips").isTrue();
    }

    @Test
    void streamingNeverSplitsMultiByteCharacters() {
        String text = "Lily saw a cat 🐱 and said: 日本 café ü!";
        long[] ids = tokenizer.encodePrompt(text);
        long[] body = Arrays.copyOfRange(ids, 1, ids.length);
        // byte fallback: the emoji and CJK characters take several tokens each, so pieces must be held back
        assertThat(body.length).isGreaterThan(text.length() / 2);
        StreamingDetokenizer stream = tokenizer.streamingDecoder(new long[] {1});
        StringBuilder joined = new StringBuilder();
        int empty = 0;
        for (long id : body) {
            String piece = stream.push(id);
            assertThat(piece).doesNotContain("\uFFFD");
            empty += piece.isEmpty() ? 1 : 0;
            joined.append(piece);
        }
        joined.append(stream.flush());
        assertThat(empty).as("tokens that completed no character yet").isGreaterThan(0);
        assertThat(joined.toString()).isEqualTo(tokenizer.decode(body)).isEqualTo(text);
    }
}
