package dev.groundwork.ingest.index.postgres;

/** A PostgreSQL store operation failed (connection lost, constraint, SQL error); the message says which. */
public final class PostgresStoreException extends RuntimeException {

    public PostgresStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
