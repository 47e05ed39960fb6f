package dev.groundwork.api.ask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.groundwork.api.QueryRules;
import dev.groundwork.api.config.RagProperties;
import dev.groundwork.api.support.InMemoryIndex;
import dev.groundwork.api.support.KeywordRetriever;
import dev.groundwork.api.support.ScriptedTextGenerator;
import dev.groundwork.api.support.SseEvents;
import dev.groundwork.model.sample.SamplingParams;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;

/** {@code /api/ask} and {@code /api/ask/stream} answered by {@link LlmAnswerer} over a scripted model. */
@WebMvcTest(controllers = AskController.class, properties = "rag.data-dir=target/unused-data")
@Import(LlmAskControllerTest.Beans.class)
class LlmAskControllerTest {

    private static final String SCRIPT = "Acme was founded in 1947 [2]. It sells anvils [1][2]. Also rockets [9].";

    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RagProperties.class)
    @Import({AskService.class, AnswerStreamer.class, QueryRules.class})
    static class Beans {

        @Bean
        InMemoryIndex documentIndex() {
            return new InMemoryIndex();
        }

        @Bean
        KeywordRetriever retriever(InMemoryIndex index) {
            return new KeywordRetriever(index);
        }

        @Bean
        ScriptedTextGenerator textGenerator() {
            return new ScriptedTextGenerator(1000, SCRIPT);
        }

        @Bean
        Answerer answerer(ScriptedTextGenerator textGenerator) {
            return new LlmAnswerer(textGenerator, new AnswerPrompt(null, List.of(FewShotExample.builtIn())),
                    SamplingParams.greedy(100));
        }

        @Bean
        ThreadPoolTaskExecutor askStreamExecutor() {
            ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
            executor.setThreadNamePrefix("test-llm-stream-");
            return executor;
        }
    }

    @Autowired
    private MockMvc mvc;

    @Autowired
    private InMemoryIndex index;

    @Autowired
    private ScriptedTextGenerator generator;

    @BeforeEach
    void documents() {
        index.clear();
        generator.script(SCRIPT);
        index.add("company", "about.md", "About Acme", "Acme sells anvils and rockets to coyotes.");
        index.add("company", "history.md", "History", "Acme was founded in 1947 in Springfield.");
    }

    @AfterEach
    void stopFailing() {
        generator.failWith(null);
    }

    @Test
    void asksTheModelAndReturnsOnlyTheCitedPassagesRenumbered() throws Exception {
        // The keyword retriever ranks about.md first (acme, anvils, and, rockets), history.md second (acme).
        mvc.perform(post("/api/ask").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"question\": \"What does Acme sell: anvils and rockets?\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.answerer").value("llm:scripted-7b"))
                .andExpect(jsonPath("$.answer")
                        .value("Acme was founded in 1947 [1]. It sells anvils [2][1]. Also rockets."))
                .andExpect(jsonPath("$.citations.length()").value(2))
                .andExpect(jsonPath("$.citations[0].source").value("history.md"))
                .andExpect(jsonPath("$.citations[1].source").value("about.md"))
                .andExpect(jsonPath("$.danglingMarkers").value(1))
                .andExpect(jsonPath("$.context.passagesUsed").value(2))
                .andExpect(jsonPath("$.context.passagesDropped").value(0))
                .andExpect(jsonPath("$.context.finishReason").value("EOS"));
        String prompt = generator.prompts().get(generator.prompts().size() - 1);
        assertThat(prompt).contains("[1] About Acme\nAcme sells anvils", "[2] History\nAcme was founded");
    }

    @Test
    void streamsTokensInOrderThenTheRenumberedAnswerCitationsAndDone() throws Exception {
        List<SseEvents.Event> events = AskStreamControllerTest.stream(mvc,
                "{\"question\": \"What does Acme sell: anvils and rockets?\"}");

        List<String> names = SseEvents.names(events);
        int tokens = names.indexOf("answer");
        assertThat(tokens).isEqualTo(SCRIPT.split(" ").length);
        assertThat(names.subList(0, tokens)).containsOnly("token");
        assertThat(names.subList(tokens, names.size())).containsExactly("answer", "citations", "done");
        StringBuilder streamed = new StringBuilder();
        events.subList(0, tokens).forEach(e -> streamed.append(e.data().path("text").asString()));
        assertThat(streamed.toString()).isEqualTo(SCRIPT);

        assertThat(events.get(tokens).data().path("text").asString())
                .isEqualTo("Acme was founded in 1947 [1]. It sells anvils [2][1]. Also rockets.");
        JsonNode citations = events.get(tokens + 1).data();
        assertThat(citations).hasSize(2);
        assertThat(citations.get(0).path("source").asString()).isEqualTo("history.md");
        assertThat(citations.get(1).path("id").asInt()).isEqualTo(2);
        JsonNode done = events.get(tokens + 2).data();
        assertThat(done.path("answerer").asString()).isEqualTo("llm:scripted-7b");
        assertThat(done.path("danglingMarkers").asInt()).isEqualTo(1);
        assertThat(done.path("context").path("passagesUsed").asInt()).isEqualTo(2);
        assertThat(done.path("firstTokenMs").asDouble()).isLessThanOrEqualTo(done.path("timings").path("totalMs")
                .asDouble());
    }

    @Test
    void aFailureWhileStreamingEndsWithAnErrorEventHoldingAProblem() throws Exception {
        generator.failWith(new IllegalStateException("the GPU caught fire"));

        List<SseEvents.Event> events = AskStreamControllerTest.stream(mvc, "{\"question\": \"When was Acme founded?\"}");

        assertThat(SseEvents.names(events)).containsExactly("error");
        JsonNode problem = events.get(0).data();
        assertThat(problem.path("status").asInt()).isEqualTo(500);
        assertThat(problem.path("detail").asString()).isEqualTo("the server could not complete the answer; see its log")
                .doesNotContain("GPU");
    }

    @Test
    void aQuestionTooLongForTheModelIsAnErrorEventNamingTheField() throws Exception {
        // Within rag.max-question-chars (2000) but over the model's room (1000 - 100 tokens, minus the example).
        String question = "Acme" + " a".repeat(950);

        List<SseEvents.Event> events = AskStreamControllerTest.stream(mvc, "{\"question\": \"" + question + "\"}");

        assertThat(SseEvents.names(events)).containsExactly("error");
        assertThat(events.get(0).data().path("status").asInt()).isEqualTo(400);
        assertThat(events.get(0).data().path("field").asString()).isEqualTo("question");
        assertThat(events.get(0).data().path("detail").asString()).contains("too long for the model");

        mvc.perform(post("/api/ask").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"question\": \"" + question + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("question"));
    }

    @Test
    void aBlankQuestionIsStillAProblemResponse() throws Exception {
        int prompts = generator.prompts().size();
        mvc.perform(post("/api/ask/stream").contentType(MediaType.APPLICATION_JSON).accept(MediaType.TEXT_EVENT_STREAM)
                        .content("{\"question\": \"\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("question"));
        assertThat(generator.prompts()).hasSize(prompts);
    }
}
