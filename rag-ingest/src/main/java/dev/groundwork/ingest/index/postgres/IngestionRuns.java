package dev.groundwork.ingest.index.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;

/**
 * The {@code ingestion_runs} table: one row per ingestion run into the PostgreSQL store, so operators can see who
 * ingested what, when, and with what result. A run killed before {@link #finish} stays {@code running}. Thread-safe.
 */
public final class IngestionRuns {

    private final Transactions transactions;

    public IngestionRuns(PostgresIndex index) {
        this.transactions = index.transactions();
    }

    /** Records a run's start. @return its id */
    public long start(String collection, String sourceRoot, String worker) {
        return transactions.run("record an ingestion run", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO ingestion_runs (collection, source_root, "
                    + "worker) VALUES (?, ?, ?) RETURNING id")) {
                s.setString(1, collection);
                s.setString(2, sourceRoot);
                s.setString(3, worker);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Records a run's end.
     *
     * @param reportJson a JSON object summarising the run (counts by outcome), or {@code null}
     */
    public void finish(long runId, boolean succeeded, String reportJson) {
        transactions.run("finish ingestion run " + runId, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE ingestion_runs SET finished_at = now(), "
                    + "status = ?, report = CAST(? AS jsonb) WHERE id = ?")) {
                s.setString(1, succeeded ? "succeeded" : "failed");
                if (reportJson == null) {
                    s.setNull(2, Types.VARCHAR);
                } else {
                    s.setString(2, reportJson);
                }
                s.setLong(3, runId);
                s.executeUpdate();
            }
            return null;
        });
    }
}
