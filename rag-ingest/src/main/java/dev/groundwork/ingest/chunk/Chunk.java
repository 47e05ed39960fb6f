package dev.groundwork.ingest.chunk;

import java.util.List;

/**
 * A retrievable piece of a document, with everything needed to cite it.
 *
 * @param id unique id, {@code documentId + "#" + ordinal}
 * @param documentId id of the document (see {@link DocumentRef#idFor})
 * @param collection the collection the document belongs to
 * @param source the document's source path within the collection (relative, '/'-separated)
 * @param title the document's title
 * @param headingPath the headings above this chunk, outermost first (may be empty)
 * @param page 1-based page of the chunk's start for paginated formats, otherwise {@code null}
 * @param start offset of the chunk's first character in the document's extracted text
 * @param end offset after its last character
 * @param text the chunk's text, exactly {@code extractedText.substring(start, end)}
 * @param acl principals allowed to read it; empty means everyone (access control comes later)
 * @param ordinal position of the chunk within its document, from 0
 */
public record Chunk(String id, String documentId, String collection, String source, String title,
        List<String> headingPath, Integer page, int start, int end, String text, List<String> acl, int ordinal) {

    public Chunk {
        requireText(id, "id");
        requireText(documentId, "documentId");
        requireText(collection, "collection");
        requireText(source, "source");
        requireText(title, "title");
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("chunk " + id + " has no text");
        }
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("chunk " + id + " has a bad range [" + start + ", " + end + ")");
        }
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must be >= 0");
        }
        headingPath = List.copyOf(headingPath);
        acl = List.copyOf(acl);
    }

    /** The heading path joined for display, e.g. {@code "Install > Linux"}; empty when there is none. */
    public String headingPathText() {
        return String.join(" > ", headingPath);
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }
}
