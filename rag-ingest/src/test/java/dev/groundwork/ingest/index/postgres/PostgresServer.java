package dev.groundwork.ingest.index.postgres;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL + pgvector server for the integration tests, one per test run (kept in JUnit's root store):
 * the one named by {@code GROUNDWORK_TEST_JDBC_URL}, or a throwaway cluster started with
 * {@code scripts/postgres.sh} and stopped when the run ends. Each test gets a database of its own.
 *
 * <p>When no server can be had the tests are skipped with the reason, except in CI ({@code CI=true}), where
 * they fail: the PostgreSQL store must never go untested there.
 */
final class PostgresServer implements AutoCloseable {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresServer.class);

    private final String adminUrl;
    private final Path clusterDir;
    private final Path script;
    private final AtomicInteger databases = new AtomicInteger();
    private final java.util.Queue<String> created = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private PostgresServer(String adminUrl, Path clusterDir, Path script) {
        this.adminUrl = adminUrl;
        this.clusterDir = clusterDir;
        this.script = script;
    }

    /** The run's server, started on first use; skips (or fails in CI) when none is available. */
    static PostgresServer get(ExtensionContext context) {
        Object server = context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(PostgresServer.class, key -> startOrExplain());
        if (server instanceof String reason) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("PostgreSQL integration tests cannot run in CI: " + reason);
            }
            Assumptions.abort("PostgreSQL integration tests skipped: " + reason);
        }
        return (PostgresServer) server;
    }

    /** A new, empty database with pgvector, as a pooled data source the caller closes. */
    HikariDataSource newDatabase() {
        String name = "gw_test_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            created.add(name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return PostgresStore.pool(urlOf(name), null, null);
    }

    /** JDBC URL of the named database on this server (same credentials as the admin URL). */
    String urlOf(String database) {
        int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + database + (query < 0 ? "" : adminUrl.substring(query));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (clusterDir == null) {
            // A server we did not start keeps running: leave it as we found it.
            try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
                for (String name : created) {
                    s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                }
            } catch (SQLException e) {
                System.err.println("could not drop the test databases " + created + ": " + e.getMessage());
            }
        } else {
            new ProcessBuilder(script.toString(), "stop", clusterDir.toString()).inheritIO().start()
                    .waitFor(60, TimeUnit.SECONDS);
            try (var files = Files.walk(clusterDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Object startOrExplain() {
        String url = System.getenv("GROUNDWORK_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return new PostgresServer(url, null, null);
        }
        Path script = findScript();
        if (script == null) {
            return "GROUNDWORK_TEST_JDBC_URL is not set and scripts/postgres.sh was not found";
        }
        try {
            Path dir = Files.createTempDirectory("groundwork-test-pg");
            Process process = new ProcessBuilder(script.toString(), "start", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0 || !out.startsWith("jdbc:")) {
                return "GROUNDWORK_TEST_JDBC_URL is not set and " + script + " could not start a server (exit "
                        + (process.isAlive() ? "timeout" : process.exitValue()) + "; see its output above)";
            }
            return new PostgresServer(out.lines().reduce((a, b) -> b).orElseThrow(), dir, script);
        } catch (IOException e) {
            return "cannot run " + script + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while starting PostgreSQL";
        }
    }

    private static Path findScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts/postgres.sh");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
