package dev.groundwork.ingest.index.postgres;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.index.lucene.Bm25Mirror;
import dev.groundwork.ingest.retrieve.Retriever;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a process's local Lucene {@link Bm25Mirror} in step with a {@link PostgresIndex}.
 *
 * <p>{@link #catchUp()} reads the {@code changes} log after the mirror's applied sequence and, for every document
 * named there, copies its <em>current</em> chunks from PostgreSQL (none for a deleted one) into the mirror,
 * committing them with the last sequence read. Reading the current state rather than replaying each change makes
 * re-application harmless and lets a crashed catch-up simply run again. Because the store appends changes in
 * commit order (see {@link PostgresIndex}), no change below an applied sequence can appear later.
 *
 * <p>A mirror that copies another database (its store id differs) or none yet is {@link #rebuild() rebuilt}
 * from the documents table alone. Thread-safe: catch-ups are serialised.
 */
public final class Bm25Sync {

    private static final int BATCH = 500;

    private final PostgresIndex index;
    private final Bm25Mirror mirror;
    private final ReentrantLock lock = new ReentrantLock();

    public Bm25Sync(PostgresIndex index, Bm25Mirror mirror) {
        this.index = index;
        this.mirror = mirror;
    }

    /**
     * BM25 over the mirror, caught up with PostgreSQL before each search (one indexed query when nothing changed),
     * so a search sees every change committed before it began.
     */
    public Retriever bm25Retriever() {
        Retriever lucene = mirror.bm25Retriever();
        return query -> {
            catchUp();
            return lucene.retrieve(query);
        };
    }

    /**
     * Applies every change after the mirror's sequence; rebuilds first if the mirror copies another store.
     *
     * @return the number of documents refreshed
     */
    public int catchUp() {
        lock.lock();
        try {
            if (!index.storeId().equals(mirror.sourceId())) {
                return rebuild();
            }
            int refreshed = 0;
            while (true) {
                long after = mirror.appliedSequence();
                Batch batch = index.transactions().run("read changes after " + after, c -> readChanges(c, after));
                if (batch.documentIds().isEmpty()) {
                    return refreshed;
                }
                Map<String, List<Chunk>> chunks = index.transactions().run("read changed chunks",
                        c -> currentChunks(c, batch.documentIds()));
                mirror.apply(index.storeId(), batch.lastSequence(), chunks);
                refreshed += chunks.size();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Empties the mirror and copies every document's chunks from PostgreSQL, then records the change sequence read
     * before copying (changes after it are applied again by the next catch-up, which is harmless).
     *
     * @return the number of documents copied
     */
    public int rebuild() {
        lock.lock();
        try {
            long upTo = index.transactions().run("read the last change", c -> {
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT coalesce(max(seq), 0) FROM changes")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            mirror.reset(index.storeId());
            List<String> ids = index.transactions().run("list documents", c -> {
                List<String> all = new ArrayList<>();
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT id FROM documents ORDER BY id")) {
                    while (rs.next()) {
                        all.add(rs.getString(1));
                    }
                }
                return all;
            });
            for (int from = 0; from < ids.size(); from += BATCH) {
                Set<String> slice = new LinkedHashSet<>(ids.subList(from, Math.min(ids.size(), from + BATCH)));
                Map<String, List<Chunk>> chunks = index.transactions().run("read chunks",
                        c -> currentChunks(c, slice));
                mirror.apply(index.storeId(), 0, chunks);
            }
            mirror.apply(index.storeId(), upTo, Map.of());
            return ids.size();
        } finally {
            lock.unlock();
        }
    }

    private record Batch(Set<String> documentIds, long lastSequence) {
    }

    private static Batch readChanges(Connection c, long after) throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        long last = after;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT seq, document_id FROM changes WHERE seq > ? ORDER BY seq LIMIT " + BATCH)) {
            s.setLong(1, after);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    ids.add(rs.getString(2));
                }
            }
        }
        return new Batch(ids, last);
    }

    /** Current chunks of each document, in ordinal order; an empty list for a document that no longer exists. */
    private static Map<String, List<Chunk>> currentChunks(Connection c, Set<String> documentIds) throws SQLException {
        Map<String, List<Chunk>> chunks = new LinkedHashMap<>();
        documentIds.forEach(id -> chunks.put(id, new ArrayList<>()));
        try (PreparedStatement s = c.prepareStatement("SELECT " + ChunkRows.CHUNK_COLUMNS + " FROM "
                + ChunkRows.CHUNK_JOIN + " WHERE c.document_id = ANY (?) ORDER BY c.document_id, c.ordinal")) {
            s.setArray(1, c.createArrayOf("text", documentIds.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Chunk chunk = ChunkRows.chunk(rs);
                    chunks.get(chunk.documentId()).add(chunk);
                }
            }
        }
        return chunks;
    }
}
