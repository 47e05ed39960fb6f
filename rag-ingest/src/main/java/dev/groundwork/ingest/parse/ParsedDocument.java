package dev.groundwork.ingest.parse;

import java.util.List;

/**
 * The text of one document as extracted by a {@link DocumentParser}, with its structure.
 *
 * @param title the document's title (metadata title, first heading, or file name; never blank)
 * @param text the extracted plain text; blocks point into it
 * @param blocks headings and body blocks in reading order, non-overlapping, within {@code text}
 * @param mediaType the detected media type, e.g. {@code application/pdf}
 */
public record ParsedDocument(String title, String text, List<TextBlock> blocks, String mediaType) {

    public ParsedDocument {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("title must not be blank");
        }
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        blocks = List.copyOf(blocks);
        int previousEnd = 0;
        for (TextBlock block : blocks) {
            if (block.start() < previousEnd || block.end() > text.length()) {
                throw new IllegalArgumentException("block " + block + " overlaps its predecessor or leaves the text");
            }
            previousEnd = block.end();
        }
    }

    /** The text of one block. */
    public String textOf(TextBlock block) {
        return text.substring(block.start(), block.end());
    }
}
