package dev.groundwork.ingest.retrieve;

/**
 * A search request.
 *
 * @param text the user's question or keywords
 * @param collection restrict to this collection, or {@code null} for all
 * @param k number of results wanted, at least 1
 */
public record RetrievalQuery(String text, String collection, int k) {

    public RetrievalQuery {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("query text must not be blank");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
    }

    /** The same query asking for a different number of results. */
    public RetrievalQuery withK(int newK) {
        return new RetrievalQuery(text, collection, newK);
    }
}
