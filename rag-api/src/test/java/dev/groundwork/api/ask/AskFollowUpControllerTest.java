package dev.groundwork.api.ask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.groundwork.api.support.ApiTest;
import dev.groundwork.api.support.InMemoryIndex;
import dev.groundwork.api.support.KeywordRetriever;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /api/ask} with a conversation's history: retrieval of follow-ups and validation of the turns. */
@ApiTest
class AskFollowUpControllerTest {

    private static final String FOLLOW_UP = "What about part-time staff?";
    private static final ConversationTurn HOLIDAY = new ConversationTurn(FollowUpRetrievalTest.HOLIDAY_QUESTION,
            "Full-time employees receive 27 days of paid holiday per year. [1]");

    private final JsonMapper json = JsonMapper.builder().build();

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
        FollowUpRetrievalTest.handbook(index);
    }

    @Test
    void aFollowUpIsAnsweredFromTheEarlierTopicWhereItsWordsAloneFindTheWrongDocument() throws Exception {
        ask(new AskRequest(FOLLOW_UP, null, 1))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.citations[0].source").value("parking.md"));

        ask(new AskRequest(FOLLOW_UP, null, 1, List.of(HOLIDAY)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.answer").value(FollowUpRetrievalTest.PART_TIME_HOLIDAY + " [1]"))
                .andExpect(jsonPath("$.citations.length()").value(1))
                .andExpect(jsonPath("$.citations[0].source").value("holiday.md"));
    }

    @Test
    void aTopicSwitchWithHistoryStillFindsTheNewTopic() throws Exception {
        ask(new AskRequest("Where can staff park?", "handbook", 1, List.of(HOLIDAY)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.answer", containsString("lot B")))
                .andExpect(jsonPath("$.citations[0].source").value("parking.md"));
    }

    @Test
    void onlyTheLastThreeTurnsCount() throws Exception {
        List<ConversationTurn> history = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            history.add(new ConversationTurn("question number" + i + "?", "answer " + i));
        }

        ask(new AskRequest(FOLLOW_UP, null, 2, history)).andExpect(status().isOk());

        // The last retrieval is the contextual one: the question, then the three latest questions, newest first.
        assertThat(retriever.lastQuery().text()).isEqualTo(FOLLOW_UP
                + "\nquestion number5?\nquestion number4?\nquestion number3?");
    }

    @Test
    void anEmptyHistoryIsAQuestionOnItsOwn() throws Exception {
        ask(new AskRequest(FOLLOW_UP, null, 2, List.of()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.citations[0].source").value("parking.md"));
        assertThat(retriever.lastQuery().text()).isEqualTo(FOLLOW_UP);
        assertThat(retriever.lastQuery().k()).isEqualTo(2);
    }

    @Test
    void aBadTurnIsRejectedNamingItsField() throws Exception {
        ConversationTurn ok = new ConversationTurn("Fine?", "Fine.");
        rejects(List.of(ok, ok, new ConversationTurn("Long?", "x".repeat(4001))), "history[2].answer",
                "history[2].answer has 4001 characters, more than the limit of 4000");
        rejects(List.of(new ConversationTurn("  ", "Fine.")), "history[0].question",
                "history[0].question must not be empty");
        rejects(List.of(ok, new ConversationTurn("why ".repeat(51), "Fine.")), "history[1].question",
                "history[1].question has 203 characters, more than the limit of 200");
        rejects(List.of(ok, new ConversationTurn("Fine?", null)), "history[1].answer",
                "history[1].answer must not be empty");
        List<ConversationTurn> tooMany = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            tooMany.add(ok);
        }
        rejects(tooMany, "history", "history has 21 turns, more than the limit of 20");
        ask(new AskRequest(FOLLOW_UP, null, null, tooMany.subList(0, 20))).andExpect(status().isOk());
        ask(new AskRequest(FOLLOW_UP, null, null, List.of(new ConversationTurn("Long?", "x".repeat(4000)))))
                .andExpect(status().isOk());
    }

    @Test
    void aMissingTurnIsRejectedNamingItsIndex() throws Exception {
        mvc.perform(post("/api/ask").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"question\": \"Why?\", "
                                + "\"history\": [{\"question\": \"a?\", \"answer\": \"b\"}, null]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("history[1]"));
        assertThat(retriever.lastQuery()).isNull();
    }

    @Test
    void theStreamRejectsABadTurnBeforeStreaming() throws Exception {
        mvc.perform(post("/api/ask/stream").contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(new AskRequest(FOLLOW_UP, null, null,
                                List.of(new ConversationTurn("a?", " "))))))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("history[0].answer"));
        assertThat(retriever.lastQuery()).isNull();
    }

    private void rejects(List<ConversationTurn> history, String field, String detail) throws Exception {
        ask(new AskRequest(FOLLOW_UP, null, null, history))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value(field))
                .andExpect(jsonPath("$.errors[0].field").value(field))
                .andExpect(jsonPath("$.detail").value(detail));
        assertThat(retriever.lastQuery()).isNull();
    }

    private ResultActions ask(AskRequest request) throws Exception {
        return mvc.perform(post("/api/ask").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(request)));
    }
}
