package dev.groundwork.ingest.index.postgres;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test (method or constructor/lifecycle parameter) a {@link HikariDataSource} on a fresh database of the
 * run's {@link PostgresServer}, closed after the test. Skips, or fails in CI, when no server can be started.
 */
final class PostgresExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == HikariDataSource.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        HikariDataSource dataSource = PostgresServer.get(context).newDatabase();
        // Closed by JUnit when the test (or class, for lifecycle methods) ends.
        context.getStore(NAMESPACE).put(dataSource, (AutoCloseable) dataSource::close);
        return dataSource;
    }
}
