package dev.groundwork.ingest.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Assembles the text of a {@link ParsedDocument} block by block, so that every block's offsets are exact.
 * Blocks are normalised (whitespace runs collapsed, soft hyphens, NULs and BOMs dropped) and joined by a blank
 * line; blank blocks are dropped. Not thread-safe: one builder per parse.
 */
final class StructuredTextBuilder {

    static final String BLOCK_SEPARATOR = "\n\n";

    private final StringBuilder text = new StringBuilder();
    private final List<TextBlock> blocks = new ArrayList<>();
    private final long maxChars;
    private String firstH1;

    StructuredTextBuilder(long maxChars) {
        this.maxChars = maxChars;
    }

    /** Adds a heading; its text is collapsed onto one line. */
    void addHeading(int level, CharSequence raw, Integer page) {
        String normalised = collapse(raw);
        if (!normalised.isEmpty()) {
            append(TextBlock.Kind.HEADING, level, normalised, page);
            if (level == 1 && firstH1 == null) {
                firstH1 = normalised;
            }
        }
    }

    /** Adds a paragraph-like body block; its text is collapsed onto one line. */
    void addBody(CharSequence raw, Integer page) {
        String normalised = collapse(raw);
        if (!normalised.isEmpty()) {
            append(TextBlock.Kind.BODY, 0, normalised, page);
        }
    }

    /** Adds preformatted text (code): line breaks and indentation are kept, trailing spaces and blank edges go. */
    void addPreformatted(CharSequence raw, Integer page) {
        String cleaned = cleanChars(raw);
        StringBuilder kept = new StringBuilder(cleaned.length());
        for (String line : cleaned.split("\r\n|\r|\n", -1)) {
            kept.append(line.stripTrailing()).append('\n');
        }
        String normalised = kept.toString().replaceAll("^\n+", "").stripTrailing();
        if (!normalised.isBlank()) {
            append(TextBlock.Kind.BODY, 0, normalised, page);
        }
    }

    /** Fails when {@code pending} more characters would pass the limit, before they are buffered further. */
    void ensureRoom(int pending) {
        if ((long) text.length() + pending > maxChars) {
            throw new TextTooLongException(maxChars);
        }
    }

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** The first level-1 heading's text, or {@code null}. */
    String firstH1() {
        return firstH1;
    }

    /** The document; {@code title} is used when not blank, else the first H1, else {@code fallbackTitle}. */
    ParsedDocument build(String title, String fallbackTitle, String mediaType) {
        String chosen = title != null && !collapse(title).isEmpty() ? collapse(title)
                : firstH1 != null ? firstH1 : fallbackTitle;
        return new ParsedDocument(chosen, text.toString(), blocks, mediaType);
    }

    private void append(TextBlock.Kind kind, int level, String normalised, Integer page) {
        if (!blocks.isEmpty()) {
            text.append(BLOCK_SEPARATOR);
        }
        int start = text.length();
        text.append(normalised);
        if (text.length() > maxChars) {
            throw new TextTooLongException(maxChars);
        }
        blocks.add(new TextBlock(kind, level, start, text.length(), page));
    }

    /** Drops characters that carry no text and turns other controls (except line breaks and tabs) into spaces. */
    static String cleanChars(CharSequence raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\u0000' || c == '\u00AD' || c == '\uFEFF' || c == '\u200B') {
                continue;
            }
            out.append(Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t' ? ' ' : c);
        }
        return out.toString();
    }

    /** Cleans and collapses every run of whitespace (no-break spaces included) into one space, trimmed. */
    static String collapse(CharSequence raw) {
        String cleaned = cleanChars(raw);
        StringBuilder out = new StringBuilder(cleaned.length());
        boolean pendingSpace = false;
        for (int i = 0; i < cleaned.length(); i++) {
            char c = cleaned.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The extracted text passed the configured limit; unchecked so that it can leave a SAX handler. */
    static final class TextTooLongException extends RuntimeException {
        TextTooLongException(long maxChars) {
            super("more than " + maxChars + " characters of text");
        }
    }
}
