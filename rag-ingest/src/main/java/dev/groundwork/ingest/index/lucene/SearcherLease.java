package dev.groundwork.ingest.index.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;

/**
 * Runs one search on a searcher borrowed from a {@link SearcherManager} and always gives it back, so an index
 * reader is never leaked by a failing search. Stateless.
 */
final class SearcherLease {

    /** A search that may fail with an I/O error. */
    @FunctionalInterface
    interface Search<T> {
        T run(IndexSearcher searcher) throws IOException;
    }

    private SearcherLease() {
    }

    /**
     * @param where names the index in the error, e.g. {@code "the index in /data"}
     * @throws UncheckedIOException naming {@code where} when the search or the lease fails
     */
    static <T> T search(SearcherManager searchers, String where, Search<T> search) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return search.run(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search " + where, e);
        }
    }
}
