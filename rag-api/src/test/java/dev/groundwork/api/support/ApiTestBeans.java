package dev.groundwork.api.support;

import dev.groundwork.api.QueryRules;
import dev.groundwork.api.ask.AnswerStreamer;
import dev.groundwork.api.ask.Answerer;
import dev.groundwork.api.ask.AskService;
import dev.groundwork.api.ask.ExtractiveAnswerer;
import dev.groundwork.api.config.RagProperties;
import dev.groundwork.api.documents.DocumentUploads;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** The API's services over in-memory doubles instead of the Lucene index, the embedder and the ingester. */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(RagProperties.class)
@Import({AskService.class, AnswerStreamer.class, QueryRules.class, DocumentUploads.class})
public class ApiTestBeans {

    @Bean
    InMemoryIndex documentIndex() {
        return new InMemoryIndex();
    }

    @Bean
    KeywordRetriever retriever(InMemoryIndex index) {
        return new KeywordRetriever(index);
    }

    @Bean
    FakeIngestion documentIngestion(InMemoryIndex index) {
        return new FakeIngestion(index);
    }

    @Bean
    Answerer answerer() {
        return new ExtractiveAnswerer();
    }

    @Bean
    ThreadPoolTaskExecutor askStreamExecutor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix("test-ask-stream-");
        executor.setCorePoolSize(2);
        return executor;
    }
}
