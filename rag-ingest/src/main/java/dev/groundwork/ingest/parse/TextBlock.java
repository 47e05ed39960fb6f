package dev.groundwork.ingest.parse;

/**
 * One structural block of an extracted document: a heading or a run of body text (a paragraph, a list
 * item, a table cell row), located by character offsets into {@link ParsedDocument#text()}.
 *
 * @param kind heading or body
 * @param level heading level 1..6 for headings, 0 for body blocks
 * @param start offset of the first character, inclusive
 * @param end offset after the last character, exclusive
 * @param page 1-based page number for paginated formats (PDF), otherwise {@code null}
 */
public record TextBlock(Kind kind, int level, int start, int end, Integer page) {

    public enum Kind { HEADING, BODY }

    public TextBlock {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad block range [" + start + ", " + end + ")");
        }
        if (kind == Kind.HEADING ? (level < 1 || level > 6) : level != 0) {
            throw new IllegalArgumentException("bad level " + level + " for a " + kind + " block");
        }
        if (page != null && page < 1) {
            throw new IllegalArgumentException("page must be >= 1, was " + page);
        }
    }
}
