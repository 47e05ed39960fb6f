package dev.groundwork.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.api.QueryRules;
import dev.groundwork.api.ask.Answerer;
import dev.groundwork.api.ask.AskService;
import dev.groundwork.api.ask.ExtractiveAnswerer;
import dev.groundwork.api.documents.DocumentIngestion;
import dev.groundwork.api.documents.DocumentUploads;
import dev.groundwork.api.documents.PipelineDocumentIngestion;
import dev.groundwork.api.support.FakeEmbedder;
import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.lucene.LuceneIndex;
import dev.groundwork.ingest.pipeline.Ingester;
import dev.groundwork.ingest.retrieve.HybridRetriever;
import dev.groundwork.ingest.retrieve.RetrievalModes;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.model.embed.Embedder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The production wiring of {@link RagConfiguration}, with only the embedder (which needs a model) replaced by
 * name: every other bean, the Lucene index in a temporary data folder included, is the real one.
 */
class RagConfigurationTest {

    @TempDir
    Path dataDir;

    @Configuration(proxyBeanMethods = false)
    static class NoModel {

        @Bean(destroyMethod = "close")
        Embedder embedder() {
            return new FakeEmbedder();
        }
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withAllowBeanDefinitionOverriding(true)
                .withUserConfiguration(RagConfiguration.class, NoModel.class, AskService.class, QueryRules.class,
                        DocumentUploads.class)
                .withPropertyValues("rag.data-dir=" + dataDir);
    }

    @Test
    void wiresTheHybridRetrieverThePipelineAndTheAnswerer() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean(Retriever.class).isInstanceOf(HybridRetriever.class);
            assertThat(context).getBean(DocumentIndex.class).isInstanceOf(LuceneIndex.class);
            assertThat(context).hasSingleBean(RetrievalModes.class);
            assertThat(context).hasSingleBean(Ingester.class);
            assertThat(context).getBean(DocumentIngestion.class).isInstanceOf(PipelineDocumentIngestion.class);
            assertThat(context).getBean(Answerer.class).isInstanceOf(ExtractiveAnswerer.class);
            assertThat(context).hasSingleBean(AskService.class).hasSingleBean(DocumentUploads.class);
        });
    }

    @Test
    void closesTheIndexAndTheEmbedderOnShutdown() {
        FakeEmbedder[] embedder = new FakeEmbedder[1];
        runner().run(context -> {
            embedder[0] = (FakeEmbedder) context.getBean(Embedder.class);
            assertThat(embedder[0].closed()).isFalse();
            // While the service holds the index, its write lock keeps a second writer out.
            assertThatThrownBy(() -> LuceneIndex.open(dataDir)).hasMessageContaining("lock");
        });
        assertThat(embedder[0].closed()).isTrue();
        // Closed on shutdown: the lock is released and the folder opens again.
        LuceneIndex.open(dataDir).close();
    }
}
