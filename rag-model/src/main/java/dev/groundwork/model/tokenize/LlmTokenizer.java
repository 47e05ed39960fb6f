package dev.groundwork.model.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A causal language model's tokenizer ({@code tokenizer.json}) for prompts and generated text.
 *
 * <p>Truncation is off: a prompt is never cut; the caller checks it against the context. Special tokens written in
 * the text (e.g. {@code <|im_start|>} from a chat template) are recognised as such. The tokens the tokenizer's own
 * post-processor puts in front of an input (BOS for Llama and SmolLM; nothing for Qwen) are prepended unless the
 * text already starts with them, so a prompt rendered by a chat template that writes BOS itself gets exactly one.
 * Suffix tokens a post-processor might add (EOS) are never added to a prompt. Thread-safe; close it to free the
 * native tokenizer.
 */
public final class LlmTokenizer implements TokenCounter, AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final long[] prefix;

    private LlmTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = HuggingFaceTokenCounter.requireUntruncated(tokenizer);
        this.prefix = prefixTokens(tokenizer);
    }

    /** Loads {@code tokenizer.json} from a model folder. @throws IllegalArgumentException naming the file */
    public static LlmTokenizer fromModelFolder(Path dir) {
        Path file = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model folder " + dir + " has no tokenizer.json");
        }
        try {
            // maxLength only matters when truncating; it is set so DJL's 512 default is not mistaken for a limit
            return new LlmTokenizer(HuggingFaceTokenizer.newInstance(file, Map.of("truncation", "false",
                    "padding", "false", "addSpecialTokens", "false", "maxLength", Integer.toString(1 << 30))));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load " + file + ": " + e.getMessage(), e);
        }
    }

    private static long[] prefixTokens(HuggingFaceTokenizer tokenizer) {
        long[] plain = tokenizer.encode("a", false, false).getIds();
        long[] special = tokenizer.encode("a", true, false).getIds();
        for (int i = 0; i + plain.length <= special.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(special, i, i + plain.length), plain)) {
                return Arrays.copyOf(special, i);
            }
        }
        return new long[0];
    }

    /** The prompt's token ids, with the post-processor's prefix (BOS) exactly once. */
    public long[] encodePrompt(String text) {
        Objects.requireNonNull(text, "text");
        Encoding encoding = tokenizer.encode(text, false, false);
        long[] ids = encoding.getIds();
        if (prefix.length == 0 || startsWith(ids, prefix)) {
            return ids;
        }
        long[] out = new long[prefix.length + ids.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(ids, 0, out, prefix.length, ids.length);
        return out;
    }

    private static boolean startsWith(long[] ids, long[] start) {
        return ids.length >= start.length && Arrays.equals(Arrays.copyOf(ids, start.length), start);
    }

    /** Tokens {@link #encodePrompt} produces for {@code text}, BOS included. */
    @Override
    public int countTokens(String text) {
        return text.isEmpty() ? 0 : encodePrompt(text).length;
    }

    /** Text of {@code ids}, special tokens left out. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    /** A fresh incremental decoder for one generation; {@code context} are the last prompt ids. */
    public StreamingDetokenizer streamingDecoder(long[] context) {
        return new StreamingDetokenizer(this, context);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
