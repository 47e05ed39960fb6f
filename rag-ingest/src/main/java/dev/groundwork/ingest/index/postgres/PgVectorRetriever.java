package dev.groundwork.ingest.index.postgres;

import com.pgvector.PGvector;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.model.embed.Embedder;
import java.sql.PreparedStatement;
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
 * pgvector's documentation advises for relaxed order. Scores are cosine similarities in [-1, 1], ties broken by
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

    private static final String ALL = query("");
    private static final String IN_COLLECTION =
            query("WHERE c.collection_id = (SELECT id FROM collections WHERE name = ?) ");

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
        if (vector.length != dimensions) {
            throw new IllegalArgumentException("the query embedder " + embedder.modelId() + " returns "
                    + vector.length + "-dimensional vectors but the PostgreSQL store holds " + dimensions
                    + "-dimensional ones");
        }
        return search(vector, query.collection(), query.k());
    }

    /** The {@code k} chunks nearest to {@code vector}, in {@code collection} or anywhere when it is null. */
    List<ScoredChunk> search(float[] vector, String collection, int k) {
        return index.transactions().run("search vectors", c -> {
            try (Statement s = c.createStatement()) {
                // SET LOCAL: the settings end with this transaction, never leak to the pooled connection.
                if (scan == Scan.HNSW) {
                    s.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
                    s.execute("SET LOCAL hnsw.ef_search = " + Math.max(MIN_EF_SEARCH, k));
                } else {
                    s.execute("SET LOCAL enable_indexscan = off");
                    s.execute("SET LOCAL enable_bitmapscan = off");
                }
            }
            PGvector q = new PGvector(vector);
            try (PreparedStatement s = c.prepareStatement(collection == null ? ALL : IN_COLLECTION)) {
                int p = 1;
                s.setObject(p++, q);
                if (collection != null) {
                    s.setString(p++, collection);
                }
                s.setObject(p++, q);
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
        });
    }

    private static String query(String filter) {
        return "WITH nearest AS MATERIALIZED (SELECT c.id, c.embedding <=> ? AS distance FROM chunks c " + filter
                + "ORDER BY c.embedding <=> ? LIMIT ?) SELECT " + ChunkRows.CHUNK_COLUMNS
                + ", n.distance FROM nearest n JOIN " + ChunkRows.CHUNK_JOIN + " ON c.id = n.id "
                + "ORDER BY n.distance, c.id";
    }
}
