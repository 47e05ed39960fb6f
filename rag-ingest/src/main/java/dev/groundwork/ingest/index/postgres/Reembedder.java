package dev.groundwork.ingest.index.postgres;

import com.pgvector.PGvector;
import dev.groundwork.model.embed.Embedder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Re-embeds the stored chunk texts of a {@link PostgresIndex} with another model, without the source files.
 *
 * <p>Each chunk records the model that embedded it, so documents embedded by another model than the current one
 * are found by a query ({@link #staleDocuments()}). A model of the same vector size is rolled out one document per
 * transaction (searches keep working, on a mix of models until done); a model of another size changes the column
 * type and HNSW index, so everything is re-embedded in one transaction: a killed run leaves the old model whole.
 * Not thread-safe; run one at a time (a second run finds nothing stale or waits on the document locks).
 */
public final class Reembedder {

    private final PostgresIndex index;
    private final Embedder embedder;

    public Reembedder(PostgresIndex index, Embedder embedder) {
        this.index = index;
        this.embedder = embedder;
    }

    /** Ids of documents with a chunk embedded by another model than the embedder's, sorted. */
    public List<String> staleDocuments() {
        return index.transactions().run("find stale embeddings", this::stale);
    }

    /**
     * Re-embeds every stale document.
     *
     * @param progress told the number of documents done so far after each one
     * @return the number of documents re-embedded
     */
    public int run(IntConsumer progress) {
        int size = embedder.dimensions();
        if (index.dimensions() == 0 || index.dimensions() == size) {
            int done = 0;
            for (String id : staleDocuments()) {
                index.transactions().run("re-embed " + id, c -> reembed(c, id));
                progress.accept(++done);
            }
            return done;
        }
        int done = index.transactions().run("re-embed everything to " + size + " dimensions", c -> {
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT 1 FROM store_info WHERE id = 1 FOR UPDATE").close();
                s.execute("DROP INDEX IF EXISTS chunks_embedding_hnsw");
                s.execute("ALTER TABLE chunks ALTER COLUMN embedding DROP NOT NULL");
                s.execute("ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(" + size + ") USING NULL");
            }
            int count = 0;
            for (String id : stale(c)) {
                reembed(c, id);
                progress.accept(++count);
            }
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE chunks ALTER COLUMN embedding SET NOT NULL");
                s.execute("CREATE INDEX chunks_embedding_hnsw ON chunks USING hnsw (embedding vector_cosine_ops)");
                s.execute("UPDATE store_info SET dimensions = " + size + " WHERE id = 1");
            }
            return count;
        });
        index.refreshDimensions();
        return done;
    }

    private List<String> stale(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT d.id FROM documents d WHERE d.embedding_model <> ? "
                + "OR EXISTS (SELECT 1 FROM chunks k WHERE k.document_id = d.id AND k.embedding_model <> ?) "
                + "ORDER BY d.id")) {
            s.setString(1, embedder.modelId());
            s.setString(2, embedder.modelId());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private Void reembed(Connection c, String documentId) throws SQLException {
        PostgresIndex.lockDocument(c, documentId);
        List<String> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, text FROM chunks WHERE document_id = ? ORDER BY ordinal")) {
            s.setString(1, documentId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                    texts.add(rs.getString(2));
                }
            }
        }
        List<float[]> vectors = texts.isEmpty() ? List.of() : embedder.embedAll(texts);
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE chunks SET embedding = ?, embedding_model = ? WHERE id = ?")) {
            for (int i = 0; i < ids.size(); i++) {
                s.setObject(1, new PGvector(vectors.get(i)));
                s.setString(2, embedder.modelId());
                s.setString(3, ids.get(i));
                s.addBatch();
            }
            s.executeBatch();
        }
        String collection;
        int version;
        try (PreparedStatement s = c.prepareStatement("UPDATE documents d SET embedding_model = ?, "
                + "version = version + 1 FROM collections col WHERE d.id = ? AND col.id = d.collection_id "
                + "RETURNING col.name, d.version")) {
            s.setString(1, embedder.modelId());
            s.setString(2, documentId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null; // deleted meanwhile
                }
                collection = rs.getString(1);
                version = rs.getInt(2);
            }
        }
        PostgresIndex.appendChange(c, documentId, collection, "put", version);
        return null;
    }
}
