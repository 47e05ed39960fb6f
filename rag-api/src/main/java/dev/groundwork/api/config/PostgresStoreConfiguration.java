package dev.groundwork.api.config;

import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.postgres.PostgresStore;
import dev.groundwork.ingest.retrieve.RetrievalModes;
import dev.groundwork.model.embed.Embedder;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The PostgreSQL + pgvector store, chosen with {@code rag.store=postgres} and reached through
 * {@code spring.datasource.url}, {@code .username} and {@code .password}. Each replica keeps its own BM25 mirror in
 * {@code rag.data-dir/bm25-mirror}, caught up from PostgreSQL before each search (and rebuilt from it when new), so
 * replicas share nothing but the database.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "rag.store", havingValue = "postgres")
public class PostgresStoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PostgresStoreConfiguration.class);

    @Bean(destroyMethod = "close")
    public PostgresStore postgresStore(Environment environment, RagProperties properties) {
        String url = environment.getProperty("spring.datasource.url");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("rag.store=postgres needs spring.datasource.url "
                    + "(e.g. --spring.datasource.url=jdbc:postgresql://localhost:5432/groundwork)");
        }
        Path mirror = properties.dataDir().toAbsolutePath().normalize().resolve("bm25-mirror");
        log.info("PostgreSQL store {}; BM25 mirror in {}", url, mirror);
        return PostgresStore.open(url, environment.getProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password"), mirror);
    }

    /** The store's index; the pool and mirror close with {@link PostgresStore}. */
    @Bean(destroyMethod = "")
    public DocumentIndex documentIndex(PostgresStore postgresStore) {
        return postgresStore.index();
    }

    /** BM25 over the caught-up mirror, pgvector HNSW, and their fusion. */
    @Bean
    public RetrievalModes retrievalModes(PostgresStore postgresStore, Embedder embedder, RagProperties properties) {
        return postgresStore.modes(embedder, properties.retrieval().fusionOptions());
    }
}
