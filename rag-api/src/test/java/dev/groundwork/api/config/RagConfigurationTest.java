package dev.groundwork.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.api.QueryRules;
import dev.groundwork.api.ask.Answerer;
import dev.groundwork.api.ask.AskService;
import dev.groundwork.api.ask.ExtractiveAnswerer;
import dev.groundwork.api.documents.DocumentIngestion;
import dev.groundwork.api.documents.DocumentUploads;
import dev.groundwork.api.documents.PipelineDocumentIngestion;
import dev.groundwork.api.support.FakeEmbedder;
import dev.groundwork.api.support.InMemoryIndex;
import dev.groundwork.api.support.KeywordRetriever;
import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.EmbeddedChunk;
import dev.groundwork.ingest.index.IndexedDocument;
import dev.groundwork.ingest.index.lucene.LuceneIndex;
import dev.groundwork.ingest.pipeline.Ingester;
import dev.groundwork.ingest.retrieve.HybridRetriever;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.model.embed.Embedder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The production wiring of {@link RagConfiguration}, with only the two factories that need a model or a disk
 * (the embedder and the Lucene index) replaced by name: every other bean is the real one.
 */
class RagConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    static class NoModelNoDisk {

        @Bean(destroyMethod = "close")
        Embedder embedder() {
            return new FakeEmbedder();
        }

        @Bean(destroyMethod = "close")
        LuceneIndex documentIndex() {
            return new MapBackedLuceneIndex();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withAllowBeanDefinitionOverriding(true)
            .withUserConfiguration(RagConfiguration.class, NoModelNoDisk.class, AskService.class, QueryRules.class,
                    DocumentUploads.class)
            .withPropertyValues("rag.data-dir=target/unused-data");

    @Test
    void wiresTheHybridRetrieverThePipelineAndTheAnswerer() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean(Retriever.class).isInstanceOf(HybridRetriever.class);
            assertThat(context).getBean(DocumentIndex.class).isInstanceOf(MapBackedLuceneIndex.class);
            assertThat(context).hasSingleBean(Ingester.class);
            assertThat(context).getBean(DocumentIngestion.class).isInstanceOf(PipelineDocumentIngestion.class);
            assertThat(context).getBean(Answerer.class).isInstanceOf(ExtractiveAnswerer.class);
            assertThat(context).hasSingleBean(AskService.class).hasSingleBean(DocumentUploads.class);
        });
    }

    @Test
    void closesTheIndexAndTheEmbedderOnShutdown() {
        FakeEmbedder[] embedder = new FakeEmbedder[1];
        MapBackedLuceneIndex[] index = new MapBackedLuceneIndex[1];
        runner.run(context -> {
            embedder[0] = (FakeEmbedder) context.getBean(Embedder.class);
            index[0] = (MapBackedLuceneIndex) context.getBean(DocumentIndex.class);
            assertThat(embedder[0].closed()).isFalse();
        });
        assertThat(embedder[0].closed()).isTrue();
        assertThat(index[0].closed).isTrue();
    }

    /** A {@link LuceneIndex} in name only, over a map, so that the configuration's types line up. */
    static final class MapBackedLuceneIndex extends LuceneIndex {

        private final InMemoryIndex delegate = new InMemoryIndex();
        volatile boolean closed;

        @Override
        public Retriever bm25Retriever() {
            return new KeywordRetriever(delegate);
        }

        @Override
        public Retriever vectorRetriever(Embedder embedder) {
            return new KeywordRetriever(delegate);
        }

        @Override
        public Optional<IndexedDocument> document(String documentId) {
            return delegate.document(documentId);
        }

        @Override
        public List<IndexedDocument> documents(String collection) {
            return delegate.documents(collection);
        }

        @Override
        public Set<String> collections() {
            return delegate.collections();
        }

        @Override
        public void put(IndexedDocument document, List<EmbeddedChunk> chunks) {
            delegate.put(document, chunks);
        }

        @Override
        public boolean delete(String documentId) {
            return delegate.delete(documentId);
        }

        @Override
        public int dimensions() {
            return delegate.dimensions();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
