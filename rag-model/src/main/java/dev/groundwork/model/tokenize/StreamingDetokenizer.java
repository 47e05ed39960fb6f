package dev.groundwork.model.tokenize;

import java.util.Arrays;

/**
 * Turns generated token ids into text pieces as they arrive, never splitting a multi-byte character.
 *
 * <p>Decoding ids one by one is wrong for byte-fallback and byte-level tokenizers (a character may span tokens) and
 * for SentencePiece ones (a word's leading space depends on what precedes it). So this decodes a short window —
 * a few ids already emitted plus the new ones — and emits only the text past the emitted part, holding it back
 * while it ends in U+FFFD (an incomplete UTF-8 sequence). Not thread-safe: one per generation.
 */
public final class StreamingDetokenizer {

    /** Prompt ids kept as left context, so the first generated word gets its leading space right. */
    private static final int CONTEXT = 5;

    private final LlmTokenizer tokenizer;
    private long[] ids;
    private int size;
    private int prefixOffset;
    private int readOffset;

    StreamingDetokenizer(LlmTokenizer tokenizer, long[] promptIds) {
        this.tokenizer = tokenizer;
        int keep = Math.min(CONTEXT, promptIds.length);
        this.ids = Arrays.copyOfRange(promptIds, promptIds.length - keep, Math.max(promptIds.length, keep) + 16);
        this.size = keep;
        this.prefixOffset = 0;
        this.readOffset = keep;
    }

    /** Adds one generated id; returns the text it completes, possibly empty. */
    public String push(long id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[size++] = id;
        return next(false);
    }

    /** The text still held back (an incomplete character at the very end is emitted as U+FFFD). */
    public String flush() {
        return next(true);
    }

    private String next(boolean force) {
        String emitted = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset));
        String all = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, size));
        if (all.length() <= emitted.length() || (!force && all.endsWith("\uFFFD"))) {
            return "";
        }
        if (!all.startsWith(emitted)) {
            // decoding the longer window changed earlier text (a normaliser quirk): emit only what is new in length
            return advance(all.substring(Math.min(emitted.length(), all.length())));
        }
        return advance(all.substring(emitted.length()));
    }

    private String advance(String piece) {
        prefixOffset = readOffset;
        readOffset = size;
        return piece;
    }
}
