package dev.groundwork.api.ask;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.api.QueryRules;
import dev.groundwork.api.config.ApiExceptionHandler;
import dev.groundwork.api.config.RagProperties;
import dev.groundwork.api.support.InMemoryIndex;
import dev.groundwork.api.support.KeywordRetriever;
import dev.groundwork.api.support.ScriptedTextGenerator;
import dev.groundwork.model.llm.Generation;
import dev.groundwork.model.sample.SamplingParams;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * A real server and a real client that hangs up mid-answer: the model must be stopped (its listener returns
 * {@code false}) instead of generating its whole answer for nobody.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = AskStreamDisconnectTest.App.class,
        properties = "rag.data-dir=target/unused-data")
class AskStreamDisconnectTest {

    private static final int SCRIPT_TOKENS = 20_000;

    // Not a @SpringBootConfiguration: the web slices of this package would find it instead of the application's.
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableConfigurationProperties(RagProperties.class)
    @Import({AskController.class, ApiExceptionHandler.class, AskService.class, AnswerStreamer.class, QueryRules.class})
    static class App {

        @Bean
        InMemoryIndex documentIndex() {
            InMemoryIndex index = new InMemoryIndex();
            index.add("default", "acme.md", "Acme", "Acme sells anvils.");
            return index;
        }

        @Bean
        KeywordRetriever retriever(InMemoryIndex index) {
            return new KeywordRetriever(index);
        }

        @Bean
        ScriptedTextGenerator textGenerator() {
            ScriptedTextGenerator generator = new ScriptedTextGenerator(SCRIPT_TOKENS * 2,
                    "anvils ".repeat(SCRIPT_TOKENS));
            generator.pauseBeforeEachToken(1);
            return generator;
        }

        @Bean
        Answerer answerer(ScriptedTextGenerator textGenerator) {
            return new LlmAnswerer(textGenerator, new AnswerPrompt(null, List.of()),
                    SamplingParams.greedy(SCRIPT_TOKENS));
        }

        @Bean
        ThreadPoolTaskExecutor askStreamExecutor() {
            ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
            executor.setThreadNamePrefix("test-disconnect-");
            return executor;
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ScriptedTextGenerator generator;

    @Test
    void hangingUpStopsTheModel() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/ask/stream"))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"question\": \"What does Acme sell?\"}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream body = response.body()) {
            byte[] first = body.readNBytes(64);
            assertThat(new String(first, StandardCharsets.UTF_8)).startsWith("event:token");
        }

        // Generation ends soon after the hang-up; the bound only keeps a broken build from hanging the suite.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (generator.generations().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(generator.generations()).hasSize(1);
        Generation generation = generator.generations().get(0);
        assertThat(generation.finishReason()).isEqualTo(Generation.FinishReason.CANCELLED);
        assertThat(generation.tokenIds().size()).isLessThan(SCRIPT_TOKENS);
    }
}
