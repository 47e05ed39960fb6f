package dev.groundwork.ingest.index.postgres;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The PostgreSQL queue of files to ingest, shared by any number of worker processes.
 *
 * <p>{@link #claim} takes the oldest pending file with {@code FOR UPDATE SKIP LOCKED} and marks it processing in
 * the same statement, so two workers never get the same file. A worker killed while processing leaves its claim
 * behind; {@link #requeueStale} puts such claims back (the document's own transaction makes a half-done file
 * harmless: it was either stored whole or not at all). Thread-safe.
 */
public final class IngestQueue {

    /** A file claimed by {@code worker}. */
    public record Job(long id, String collection, String source, Path path, String worker) {
    }

    private final Transactions transactions;

    public IngestQueue(PostgresIndex index) {
        this.transactions = index.transactions();
    }

    /**
     * Queues files of a collection (source path within the collection to file). A file already queued is set
     * pending again unless a worker holds it.
     *
     * @return the number of files queued
     */
    public int enqueue(String collection, Map<String, Path> files) {
        return transactions.run("queue files of " + collection, c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO ingest_queue (collection, source, path) "
                    + "VALUES (?, ?, ?) ON CONFLICT (collection, source) DO UPDATE SET path = EXCLUDED.path, "
                    + "status = 'pending', claimed_by = NULL, claimed_at = NULL, attempts = 0, outcome = NULL, "
                    + "error = NULL, enqueued_at = now() WHERE ingest_queue.status <> 'processing'")) {
                for (Map.Entry<String, Path> file : files.entrySet()) {
                    s.setString(1, collection);
                    s.setString(2, file.getKey());
                    s.setString(3, file.getValue().toAbsolutePath().toString());
                    s.addBatch();
                }
                int queued = 0;
                for (int n : s.executeBatch()) {
                    queued += Math.max(n, 0);
                }
                return queued;
            }
        });
    }

    /** Claims the oldest pending file for {@code worker}, or none when nothing is pending. */
    public Optional<Job> claim(String worker) {
        return transactions.run("claim a queued file", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE ingest_queue SET status = 'processing', "
                    + "claimed_by = ?, claimed_at = now(), attempts = attempts + 1 WHERE id = ("
                    + "SELECT id FROM ingest_queue WHERE status = 'pending' ORDER BY id "
                    + "FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING id, collection, source, path")) {
                s.setString(1, worker);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(new Job(rs.getLong(1), rs.getString(2), rs.getString(3),
                            Path.of(rs.getString(4)), worker)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Records the end of a job: done with the outcome (e.g. {@code ADDED}), or failed with the reason. Ignored when
     * the claim is no longer the job's worker's (it was requeued as stale and taken by another).
     *
     * @param error {@code null} when the file succeeded
     */
    public void finish(Job job, String outcome, String error) {
        transactions.run("finish queued file " + job.source(), c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE ingest_queue SET status = ?, outcome = ?, "
                    + "error = ? WHERE id = ? AND status = 'processing' AND claimed_by = ?")) {
                s.setString(1, error == null ? "done" : "failed");
                s.setString(2, outcome);
                s.setString(3, error);
                s.setLong(4, job.id());
                s.setString(5, job.worker());
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Puts back claims older than {@code age} (their worker died). @return how many */
    public int requeueStale(Duration age) {
        return transactions.run("requeue stale claims", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE ingest_queue SET status = 'pending', "
                    + "claimed_by = NULL, claimed_at = NULL WHERE status = 'processing' "
                    + "AND claimed_at < now() - make_interval(secs => ?)")) {
                s.setDouble(1, age.toMillis() / 1000.0);
                return s.executeUpdate();
            }
        });
    }

    /** Number of queued files by status. */
    public Map<String, Long> counts() {
        return transactions.run("count queued files", c -> {
            Map<String, Long> counts = new TreeMap<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT status, count(*) FROM ingest_queue GROUP BY status")) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        });
    }
}
