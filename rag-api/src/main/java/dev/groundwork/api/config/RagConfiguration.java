package dev.groundwork.api.config;

import dev.groundwork.model.llm.TextGeneratorLoader;
import dev.groundwork.api.ask.AnswerPrompt;
import dev.groundwork.api.ask.Answerer;
import dev.groundwork.api.ask.ExtractiveAnswerer;
import dev.groundwork.api.ask.FewShotExample;
import dev.groundwork.api.ask.LlmAnswerer;
import dev.groundwork.api.documents.DocumentIngestion;
import dev.groundwork.api.documents.PipelineDocumentIngestion;
import dev.groundwork.ingest.chunk.TokenBudgetChunker;
import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.lucene.LuceneIndex;
import dev.groundwork.ingest.parse.DocumentParser;
import dev.groundwork.ingest.parse.TikaDocumentParser;
import dev.groundwork.ingest.pipeline.Ingester;
import dev.groundwork.ingest.retrieve.RetrievalModes;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.model.embed.Embedder;
import dev.groundwork.model.embed.OnnxSentenceEmbedder;
import dev.groundwork.model.llm.CausalLm;
import dev.groundwork.model.llm.TextGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The RAG components as beans: one embedder, one Lucene index in {@code rag.data-dir}, the hybrid retriever over
 * it, the ingestion pipeline and the answerer. Both the embedder and the index hold native or file resources and
 * are closed on shutdown (the index after everything that uses it). With {@code rag.store=postgres} the index and
 * retrieval modes come from {@link PostgresStoreConfiguration} instead.
 *
 * <p>The answerer is extractive unless {@code rag.model.path} names a language model: then the
 * {@code textGeneratorLoader} loads it (the {@code textGenerator} bean, closed on shutdown) and an
 * {@link LlmAnswerer} answers with it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RagProperties.class)
public class RagConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RagConfiguration.class);

    @Bean(destroyMethod = "close")
    public Embedder embedder(RagProperties properties) {
        Path model = properties.embeddingModel();
        Embedder embedder = model == null ? OnnxSentenceEmbedder.allMiniLmL6V2()
                : OnnxSentenceEmbedder.fromDirectory(model.toAbsolutePath().normalize());
        log.info("Embedding model {} ({} dimensions, {}-token window)", embedder.modelId(), embedder.dimensions(),
                embedder.maxInputTokens());
        return embedder;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "rag.store", havingValue = "lucene", matchIfMissing = true)
    public LuceneIndex documentIndex(RagProperties properties) {
        Path dataDir = properties.dataDir().toAbsolutePath().normalize();
        log.info("Data directory {}", dataDir);
        return LuceneIndex.open(dataDir);
    }

    /** BM25, vector and hybrid retrieval over the one index; evaluation compares them. */
    @Bean
    @ConditionalOnProperty(name = "rag.store", havingValue = "lucene", matchIfMissing = true)
    public RetrievalModes retrievalModes(LuceneIndex documentIndex, Embedder embedder, RagProperties properties) {
        return RetrievalModes.of(documentIndex.bm25Retriever(), documentIndex.vectorRetriever(embedder),
                properties.retrieval().fusionOptions());
    }

    /** The retriever that answers questions: the hybrid one. */
    @Bean
    public Retriever retriever(RetrievalModes retrievalModes) {
        return retrievalModes.hybrid();
    }

    @Bean
    public DocumentParser documentParser() {
        return new TikaDocumentParser();
    }

    @Bean
    public Ingester ingester(DocumentParser documentParser, Embedder embedder, DocumentIndex documentIndex,
            RagProperties properties) {
        return new Ingester(documentParser, new TokenBudgetChunker(embedder.tokenCounter(), properties.chunking()),
                embedder, documentIndex);
    }

    @Bean
    public DocumentIngestion documentIngestion(Ingester ingester, DocumentParser documentParser) {
        return new PipelineDocumentIngestion(ingester, documentParser);
    }

    /** Loads the language model named by rag.model.path (only asked when a path is set); tests replace it. */
    @Bean
    public TextGeneratorLoader textGeneratorLoader() {
        return TextGeneratorLoader.causalLm();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(prefix = "rag.model", name = "path")
    public TextGenerator textGenerator(RagProperties properties, TextGeneratorLoader textGeneratorLoader) {
        RagProperties.Model model = properties.model();
        if (model.path() == null) {
            throw new IllegalStateException("rag.model.path is set but blank");
        }
        Path dir = model.path().toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("rag.model.path " + dir + " is not a folder");
        }
        TextGenerator generator = textGeneratorLoader.load(dir, model.loadOptions());
        // rag.model.weights applies on the CPU only: on a GPU the matrices are fp16 whatever it says
        log.info("Language model {} ({}-token context) on {}, CPU weights {}, decoded by {}, prompts multiplied by {}",
                generator.modelId(), generator.contextLength(), model.device(), model.weights(),
                generator instanceof CausalLm lm ? lm.decoderDescription() : generator.getClass().getSimpleName(),
                generator instanceof CausalLm lm ? lm.prefillDescription() : generator.getClass().getSimpleName());
        return generator;
    }

    /** The LLM answerer when a language model is loaded, otherwise the extractive one. */
    @Bean
    public Answerer answerer(RagProperties properties, ObjectProvider<TextGenerator> textGenerator) {
        TextGenerator generator = textGenerator.getIfAvailable();
        if (generator == null) {
            log.info("Answers are extractive (no rag.model.path)");
            return new ExtractiveAnswerer();
        }
        RagProperties.Answering settings = properties.answer();
        List<FewShotExample> examples = FewShotExamples.of(settings);
        log.info("Answers by {} with {} few-shot example(s), at most {} new tokens", generator.modelId(),
                examples.size(), settings.maxNewTokens());
        return new LlmAnswerer(generator, new AnswerPrompt(settings.systemPrompt(), examples), settings.sampling());
    }

    /** Runs streamed answers ({@code POST /api/ask/stream}) off the servlet threads. */
    @Bean(name = "askStreamExecutor")
    public ThreadPoolTaskExecutor askStreamExecutor(RagProperties properties) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix("ask-stream-");
        executor.setCorePoolSize(properties.answer().streamThreads());
        executor.setMaxPoolSize(properties.answer().streamThreads());
        executor.setQueueCapacity(properties.answer().streamQueue());
        executor.setWaitForTasksToCompleteOnShutdown(false);
        return executor;
    }
}
