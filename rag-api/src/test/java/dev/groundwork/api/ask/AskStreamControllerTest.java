package dev.groundwork.api.ask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.groundwork.api.support.ApiTest;
import dev.groundwork.api.support.InMemoryIndex;
import dev.groundwork.api.support.KeywordRetriever;
import dev.groundwork.api.support.SseEvents;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** {@code POST /api/ask/stream} with the extractive answerer: one token event with the whole answer. */
@ApiTest
class AskStreamControllerTest {

    @Autowired
    private MockMvc mvc;

    @Autowired
    private InMemoryIndex index;

    @Autowired
    private KeywordRetriever retriever;

    @BeforeEach
    void documents() {
        index.clear();
        retriever.forget();
        index.add("company", "history.md", "History",
                "Acme was founded in 1947 in Springfield. Acme opened a second factory in 1960.");
    }

    @Test
    void streamsTheWholeAnswerAsOneTokenThenCitationsThenDone() throws Exception {
        List<SseEvents.Event> events = stream(mvc,
                "{\"question\": \"When was Acme founded?\", \"collection\": \"company\"}");

        assertThat(SseEvents.names(events)).containsExactly("token", "answer", "citations", "done");
        assertThat(events.get(0).data().path("text").asString())
                .isEqualTo("Acme was founded in 1947 in Springfield. [1]");
        assertThat(events.get(1).data().path("text").asString()).isEqualTo(events.get(0).data().path("text").asString());
        assertThat(events.get(2).data()).hasSize(1);
        assertThat(events.get(2).data().get(0).path("id").asInt()).isEqualTo(1);
        assertThat(events.get(2).data().get(0).path("source").asString()).isEqualTo("history.md");
        assertThat(events.get(3).data().path("answerer").asString()).isEqualTo("extractive");
        assertThat(events.get(3).data().path("danglingMarkers").asInt()).isZero();
        assertThat(events.get(3).data().path("context").isNull()).isTrue();
        assertThat(events.get(3).data().path("timings").path("totalMs").isNumber()).isTrue();
        assertThat(retriever.lastQuery().collection()).isEqualTo("company");
    }

    @Test
    void aBlankQuestionIsAProblemResponseNotAStream() throws Exception {
        for (MediaType accept : List.of(MediaType.TEXT_EVENT_STREAM, MediaType.ALL)) {
            mvc.perform(post("/api/ask/stream").contentType(MediaType.APPLICATION_JSON).accept(accept)
                            .content("{\"question\": \"  \"}"))
                    .andExpect(request().asyncNotStarted())
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.field").value("question"))
                    .andExpect(jsonPath("$.detail").value("question must not be empty"));
        }
        assertThat(retriever.lastQuery()).isNull();
    }

    @Test
    void anUnknownCollectionIsNotFoundBeforeStreaming() throws Exception {
        mvc.perform(post("/api/ask/stream").contentType(MediaType.APPLICATION_JSON).accept(MediaType.TEXT_EVENT_STREAM)
                        .content("{\"question\": \"Acme?\", \"collection\": \"nope\"}"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    /** Posts to the stream endpoint, waits for the stream to end and parses its events. */
    static List<SseEvents.Event> stream(MockMvc mvc, String json) throws Exception {
        MvcResult started = mvc.perform(post("/api/ask/stream").contentType(MediaType.APPLICATION_JSON)
                        .accept(MediaType.TEXT_EVENT_STREAM).content(json))
                .andExpect(request().asyncStarted())
                .andReturn();
        started.getAsyncResult(10_000);
        MvcResult done = mvc.perform(asyncDispatch(started))
                .andExpect(status().isOk())
                .andReturn();
        assertThat(done.getResponse().getContentType()).startsWith(MediaType.TEXT_EVENT_STREAM_VALUE);
        assertThat(done.getResponse().getHeader("X-Accel-Buffering")).isEqualTo("no");
        assertThat(done.getResponse().getHeader("Cache-Control")).isEqualTo("no-store");
        return SseEvents.parse(done.getResponse().getContentAsString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
