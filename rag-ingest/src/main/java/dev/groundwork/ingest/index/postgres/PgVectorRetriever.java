package dev.groundwork.ingest.index.postgres;

import com.pgvector.PGvector;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.model.embed.Embedder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Nearest chunks by cosine similarity, computed by pgvector inside PostgreSQL.
 *
 * <p>The collection filter is part of the query that walks the HNSW index. With a plain HNSW scan, a filter that
 * few chunks pass would leave fewer than k results (the scan stops after {@code ef_search} candidates), so the
 * scan runs with pgvector 0.8's iterative index scans ({@code hnsw.iterative_scan = relaxed_order}), which keep
 * walking the graph until k rows pass the filter; the inner query is then re-sorted by exact distance, as
 * pgvector's documentation advises for relaxed order. Should the graph still yield fewer than k (a filter
 * that fewer chunks pass, or a graph that cannot reach them), the same transaction settles it with an exact scan
 * of the filtered chunks. Scores are cosine similarities in [-1, 1], ties broken by
 * chunk id. Thread-safe if the embedder is.
 */
final class PgVectorRetriever implements Retriever {

    /** How the nearest chunks are found. */
    enum Scan {
        /** the HNSW index, approximate */
        HNSW,
        /** a sequential scan computing every distance: exact, for reference */
        EXACT
    }

    /** ef_search at least this large: pgvector's default of 40 trades too much recall for speed at small k. */
    private static final int MIN_EF_SEARCH = 100;

    private static final String FILTER = "WHERE c.collection_id = (SELECT id FROM collections WHERE name = ?) ";
    private static final String ALL = query("", false);
    private static final String IN_COLLECTION = query(FILTER, false);
    private static final String EXACT_ALL = query("", true);
    private static final String EXACT_IN_COLLECTION = query(FILTER, true);

    private final PostgresIndex index;
    private final Embedder embedder;
    private final Scan scan;

    PgVectorRetriever(PostgresIndex index, Embedder embedder, Scan scan) {
        this.index = index;
        this.embedder = embedder;
        this.scan = scan;
    }

    @Override
    public List<ScoredChunk> retrieve(RetrievalQuery query) {
        int dimensions = index.dimensions();
        if (dimensions == 0) {
            return List.of(); // nothing embedded yet
        }
        float[] vector = embedder.embedQuery(query.text());
        if (vector.length != dimensions && vector.length != index.refreshDimensions()) {
            throw new IllegalArgumentException("the query embedder " + embedder.modelId() + " returns "
                    + vector.length + "-dimensional vectors but the PostgreSQL store holds " + dimensions
                    + "-dimensional ones");
        }
        return search(vector, query.collection(), query.k());
    }

    /** The {@code k} chunks nearest to {@code vector}, in {@code collection} or anywhere when it is null. */
    List<ScoredChunk> search(float[] vector, String collection, int k) {
        return index.transactions().run("search vectors", c -> {
            if (scan == Scan.EXACT) {
                return run(c, true, vector, collection, k);
            }
            try (Statement s = c.createStatement()) {
                // SET LOCAL: the settings end with this transaction, never leak to the pooled connection.
                s.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
                s.execute("SET LOCAL hnsw.ef_search = " + Math.max(MIN_EF_SEARCH, k));
            }
            List<ScoredChunk> approximate = run(c, false, vector, collection, k);
            // Short of k: either fewer chunks pass the filter, or the graph cannot reach them (HNSW graphs of
            // many identical vectors fall apart). Both are cheap to settle exactly: the filter is selective.
            return approximate.size() < k ? run(c, true, vector, collection, k) : approximate;
        });
    }

    private static List<ScoredChunk> run(Connection c, boolean exact, float[] vector, String collection, int k)
            throws SQLException {
        PGvector q = new PGvector(vector);
        String sql = exact ? (collection == null ? EXACT_ALL : EXACT_IN_COLLECTION)
                : (collection == null ? ALL : IN_COLLECTION);
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int p = 1;
            s.setObject(p++, q);
            if (collection != null) {
                s.setString(p++, collection);
            }
            if (!exact) {
                s.setObject(p++, q); // the ORDER BY operand
            }
            s.setInt(p, k);
            List<ScoredChunk> results = new ArrayList<>(k);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    results.add(new ScoredChunk(ChunkRows.chunk(rs), 1.0 - rs.getDouble("distance"), null,
                            results.size() + 1));
                }
            }
            return results;
        }
    }

    /** The SQL of a search, with or without the collection filter (for plan checks). */
    static String sql(boolean inCollection) {
        return inCollection ? IN_COLLECTION : ALL;
    }

    /**
     * The exact form computes every distance in a materialized scan of the (filtered) chunks, which the HNSW index
     * cannot serve; the approximate form orders by the distance operator itself, which it can.
     */
    private static String query(String filter, boolean exact) {
        String nearest = exact
                ? "SELECT id, distance FROM (SELECT c.id, c.embedding <=> ? AS distance FROM chunks c " + filter
                        + "OFFSET 0) scanned ORDER BY distance, id LIMIT ?"
                : "SELECT c.id, c.embedding <=> ? AS distance FROM chunks c " + filter
                        + "ORDER BY c.embedding <=> ? LIMIT ?";
        return "WITH nearest AS MATERIALIZED (" + nearest + ") SELECT " + ChunkRows.CHUNK_COLUMNS
                + ", n.distance FROM nearest n JOIN " + ChunkRows.CHUNK_JOIN + " ON c.id = n.id "
                + "ORDER BY n.distance, c.id";
    }
}
