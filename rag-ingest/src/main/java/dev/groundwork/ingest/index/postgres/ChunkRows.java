package dev.groundwork.ingest.index.postgres;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.index.IndexedDocument;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** The SQL columns of chunks and documents and their mapping to Groundwork's records. Stateless. */
final class ChunkRows {

    /** Columns of a chunk joined with its document ({@code d}) and collection ({@code col}). */
    static final String CHUNK_COLUMNS = "c.id, c.document_id, col.name AS collection, d.source, d.title, "
            + "c.heading_path, c.page, c.start_offset, c.end_offset, c.text, c.acl, c.ordinal";

    static final String CHUNK_JOIN = "chunks c JOIN documents d ON d.id = c.document_id "
            + "JOIN collections col ON col.id = c.collection_id";

    static final String DOCUMENT_SELECT = "SELECT d.id, col.name AS collection, d.source, d.title, d.media_type, "
            + "d.content_hash, d.chunk_count, d.embedding_model, d.acl, d.indexed_at "
            + "FROM documents d JOIN collections col ON col.id = d.collection_id ";

    private ChunkRows() {
    }

    static Chunk chunk(ResultSet rs) throws SQLException {
        int page = rs.getInt("page");
        Integer pageOrNull = rs.wasNull() ? null : page;
        return new Chunk(rs.getString("id"), rs.getString("document_id"), rs.getString("collection"),
                rs.getString("source"), rs.getString("title"), strings(rs.getArray("heading_path")), pageOrNull,
                rs.getInt("start_offset"), rs.getInt("end_offset"), rs.getString("text"),
                strings(rs.getArray("acl")), rs.getInt("ordinal"));
    }

    static IndexedDocument document(ResultSet rs) throws SQLException {
        return new IndexedDocument(rs.getString("id"), rs.getString("collection"), rs.getString("source"),
                rs.getString("title"), rs.getString("media_type"), rs.getString("content_hash"),
                rs.getInt("chunk_count"), rs.getString("embedding_model"), strings(rs.getArray("acl")),
                rs.getTimestamp("indexed_at").toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        try {
            return Arrays.asList((String[]) array.getArray());
        } finally {
            array.free();
        }
    }
}
