package dev.groundwork.api.ask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.groundwork.api.support.ApiTest;
import dev.groundwork.api.support.InMemoryIndex;
import dev.groundwork.api.support.KeywordRetriever;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@ApiTest
class AskControllerTest {

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
        index.add("company", "about.md", "About Acme", "Acme sells anvils and rockets to coyotes.");
        index.add("company", "history.md", "History",
                "Acme was founded in 1947 in Springfield. Acme opened a second factory in 1960.");
        index.add("recipes", "bread.md", "Bread", "Bread is baked from flour, water and yeast.");
    }

    @Test
    void answersWithMarkersThatMatchItsCitations() throws Exception {
        String body = ask("{\"question\": \"When was Acme founded?\", \"collection\": \"company\", \"topK\": 3}")
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.answerer").value("extractive"))
                .andExpect(jsonPath("$.answer").value("Acme was founded in 1947 in Springfield. [1]"))
                .andExpect(jsonPath("$.citations[0].id").value(1))
                .andExpect(jsonPath("$.citations[0].source").value("history.md"))
                .andExpect(jsonPath("$.citations[0].title").value("History"))
                .andExpect(jsonPath("$.citations[0].headingPath").value("History"))
                .andExpect(jsonPath("$.citations[0].page").value(org.hamcrest.Matchers.nullValue()))
                .andExpect(jsonPath("$.citations[0].snippet", containsString("founded in 1947")))
                .andExpect(jsonPath("$.timings.totalMs").isNumber())
                .andReturn().getResponse().getContentAsString();

        String answer = JsonPath.read(body, "$.answer");
        List<Integer> ids = JsonPath.read(body, "$.citations[*].id");
        assertThat(markers(answer)).containsExactlyElementsOf(ids);
        assertThat(retriever.lastQuery().collection()).isEqualTo("company");
        assertThat(retriever.lastQuery().k()).isEqualTo(3);
    }

    @Test
    void searchesEveryCollectionWithTheDefaultTopKWhenNoneIsGiven() throws Exception {
        ask("{\"question\": \"How is bread baked?\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.citations[0].source").value("bread.md"));
        assertThat(retriever.lastQuery().collection()).isNull();
        assertThat(retriever.lastQuery().k()).isEqualTo(5);
    }

    @Test
    void saysSoWhenTheDocumentsHoldNoAnswer() throws Exception {
        ask("{\"question\": \"Who won the chess tournament of Acme?\", \"collection\": \"company\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.answer").value(ExtractiveAnswerer.NO_ANSWER))
                .andExpect(jsonPath("$.citations").isEmpty());
    }

    @Test
    void rejectsAnEmptyQuestionNamingTheField() throws Exception {
        ask("{\"question\": \"   \"}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.field").value("question"))
                .andExpect(jsonPath("$.errors[0].field").value("question"))
                .andExpect(jsonPath("$.detail").value("question must not be empty"));
        assertThat(retriever.lastQuery()).isNull();
    }

    @Test
    void rejectsAQuestionOverTheLengthLimit() throws Exception {
        ask("{\"question\": \"" + "why ".repeat(50) + "?\"}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("question"))
                .andExpect(jsonPath("$.detail", containsString("limit of 200")));
        ask("{\"question\": \"" + "a".repeat(200) + "\"}").andExpect(status().isOk());
    }

    @Test
    void rejectsATopKOutOfRange() throws Exception {
        for (String topK : List.of("0", "21", "-3")) {
            ask("{\"question\": \"Acme?\", \"topK\": " + topK + "}")
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.field").value("topK"))
                    .andExpect(jsonPath("$.detail", containsString("between 1 and 20")));
        }
    }

    @Test
    void rejectsATopKOfTheWrongTypeNamingTheField() throws Exception {
        ask("{\"question\": \"Acme?\", \"topK\": \"many\"}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("topK"));
    }

    @Test
    void rejectsMalformedJson() throws Exception {
        ask("{\"question\": ")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("the request body is not valid JSON"));
    }

    @Test
    void anUnknownCollectionIsNotFound() throws Exception {
        ask("{\"question\": \"When was Acme founded?\", \"collection\": \"nope\"}")
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("collection 'nope' does not exist"));
        assertThat(retriever.lastQuery()).isNull();
    }

    private ResultActions ask(String json) throws Exception {
        return mvc.perform(post("/api/ask").contentType(MediaType.APPLICATION_JSON).content(json));
    }

    private static List<Integer> markers(String text) {
        List<Integer> ids = new ArrayList<>();
        Matcher m = Pattern.compile("\\[(\\d+)]").matcher(text);
        while (m.find()) {
            int id = Integer.parseInt(m.group(1));
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }
}
