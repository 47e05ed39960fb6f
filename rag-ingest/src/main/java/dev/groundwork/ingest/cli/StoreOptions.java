package dev.groundwork.ingest.cli;

import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.lucene.LuceneIndex;
import dev.groundwork.ingest.index.postgres.PostgresIndex;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Which store a command writes to: the embedded Lucene index in {@code --data-dir}, or PostgreSQL at
 * {@code --jdbc-url}. Exactly one of the two is given (a picocli exclusive group).
 */
final class StoreOptions {

    @Option(names = "--data-dir", required = true, paramLabel = "PATH",
            description = "Groundwork data folder (embedded Lucene store)")
    Path dataDir;

    @ArgGroup(exclusive = false)
    Postgres postgres;

    static final class Postgres {

        @Option(names = "--jdbc-url", required = true, paramLabel = "URL",
                description = "PostgreSQL store, e.g. jdbc:postgresql://localhost:5432/groundwork")
        String jdbcUrl;

        @Option(names = "--db-user", paramLabel = "U", description = "database user (default: from the URL)")
        String user;

        @Option(names = "--db-password-env", paramLabel = "VAR",
                description = "environment variable holding the database password (never on the command line)")
        String passwordEnv;
    }

    /** Opens the PostgreSQL store named by these options; the caller closes it. */
    static PostgresIndex connect(Postgres postgres) {
        String password = null;
        if (postgres.passwordEnv != null) {
            password = System.getenv(postgres.passwordEnv);
            if (password == null) {
                throw new IllegalArgumentException("--db-password-env " + postgres.passwordEnv
                        + ": that environment variable is not set");
            }
        }
        return PostgresIndex.connect(postgres.jdbcUrl, postgres.user, password);
    }

    /** Opens the chosen store; the caller closes it. */
    DocumentIndex open() {
        return postgres == null ? LuceneIndex.open(dataDir) : connect(postgres);
    }

    /** Where the store is, for messages. */
    String describe() {
        return postgres == null ? dataDir.toString() : postgres.jdbcUrl;
    }
}
