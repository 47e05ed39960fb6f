package dev.groundwork.ingest.parse;

/**
 * Splits plain text into paragraphs at blank (or whitespace-only) lines; each paragraph becomes one body block
 * with its line breaks collapsed. Stateless and thread-safe.
 */
final class PlainTextStructureReader {

    void read(String source, StructuredTextBuilder builder) {
        StringBuilder paragraph = new StringBuilder();
        for (String line : source.split("\r\n|\r|\n", -1)) {
            if (StructuredTextBuilder.collapse(line).isEmpty()) {
                builder.addBody(paragraph, null);
                paragraph.setLength(0);
            } else {
                paragraph.append(line).append('\n');
            }
        }
        builder.addBody(paragraph, null);
    }
}
