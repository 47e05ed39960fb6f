package dev.groundwork.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.api.QueryRules;
import dev.groundwork.api.ask.AskService;
import dev.groundwork.api.documents.DocumentUploads;
import dev.groundwork.api.support.FakeEmbedder;
import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.postgres.PostgresIndex;
import dev.groundwork.ingest.pipeline.FileOutcome;
import dev.groundwork.ingest.pipeline.Ingester;
import dev.groundwork.ingest.retrieve.RetrievalModes;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.model.embed.Embedder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code rag.store=postgres}: the production wiring against a real PostgreSQL named by
 * {@code GROUNDWORK_TEST_JDBC_URL} (scripts/test.sh starts one). Skipped without it locally; failed in CI.
 */
class PostgresStoreConfigurationTest {

    @TempDir
    Path dataDir;

    private String url;

    @Configuration(proxyBeanMethods = false)
    static class NoModel {

        @Bean(destroyMethod = "close")
        Embedder embedder() {
            return new FakeEmbedder();
        }
    }

    @BeforeEach
    void database() throws Exception {
        String admin = System.getenv("GROUNDWORK_TEST_JDBC_URL");
        if (admin == null || admin.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("GROUNDWORK_TEST_JDBC_URL must be set in CI (scripts/test.sh sets it)");
            }
            Assumptions.abort("GROUNDWORK_TEST_JDBC_URL is not set (scripts/postgres.sh start prints one)");
        }
        String name = "gw_api_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        int slash = admin.indexOf('/', "jdbc:postgresql://".length());
        int query = admin.indexOf('?', slash);
        url = admin.substring(0, slash + 1) + name + (query < 0 ? "" : admin.substring(query));
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withAllowBeanDefinitionOverriding(true)
                .withUserConfiguration(RagConfiguration.class, PostgresStoreConfiguration.class, NoModel.class,
                        AskService.class, QueryRules.class, DocumentUploads.class)
                .withPropertyValues("rag.data-dir=" + dataDir, "rag.store=postgres", "spring.datasource.url=" + url);
    }

    @Test
    void servesAndIngestsThroughPostgres() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean(DocumentIndex.class).isInstanceOf(PostgresIndex.class);
            FileOutcome outcome = context.getBean(Ingester.class).ingestFile("kb", "guide.txt",
                    new ByteArrayInputStream("Rotate the signing keys every ninety days."
                            .getBytes(StandardCharsets.UTF_8)));
            assertThat(outcome.status()).isEqualTo(FileOutcome.Status.ADDED);

            RetrievalModes modes = context.getBean(RetrievalModes.class);
            RetrievalQuery question = new RetrievalQuery("signing keys", "kb", 3);
            assertThat(modes.bm25().retrieve(question)).extracting(h -> h.chunk().source())
                    .containsExactly("guide.txt");
            assertThat(modes.hybrid().retrieve(question)).extracting(h -> h.chunk().source())
                    .containsExactly("guide.txt");
        });
        // A second replica starting on a fresh data folder rebuilds its BM25 mirror from PostgreSQL alone.
        runner().withPropertyValues("rag.data-dir=" + dataDir.resolve("replica-2")).run(context ->
                assertThat(context.getBean(RetrievalModes.class).bm25()
                        .retrieve(new RetrievalQuery("ninety days", null, 3)))
                        .extracting(h -> h.chunk().source()).containsExactly("guide.txt"));
    }

    @Test
    void anUnknownStoreStopsStartUpNamingTheProperty() {
        new ApplicationContextRunner().withUserConfiguration(StoreSelectionCheck.class)
                .withPropertyValues("rag.store=postgress")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("rag.store must be lucene (the default) or postgres, was 'postgress'"));
        new ApplicationContextRunner().withUserConfiguration(StoreSelectionCheck.class)
                .withPropertyValues("rag.store=postgres")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void luceneStaysTheDefault() {
        new ApplicationContextRunner().withAllowBeanDefinitionOverriding(true)
                .withUserConfiguration(RagConfiguration.class, PostgresStoreConfiguration.class, NoModel.class)
                .withPropertyValues("rag.data-dir=" + dataDir)
                .run(context -> assertThat(context).doesNotHaveBean(PostgresIndex.class)
                        .getBean(DocumentIndex.class).isNotInstanceOf(PostgresIndex.class));
    }
}
