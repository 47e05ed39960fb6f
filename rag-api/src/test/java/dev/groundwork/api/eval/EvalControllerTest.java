package dev.groundwork.api.eval;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.groundwork.api.support.ApiTest;
import dev.groundwork.api.support.InMemoryIndex;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@ApiTest
class EvalControllerTest {

    @Autowired
    private MockMvc mvc;

    @Autowired
    private InMemoryIndex index;

    @BeforeEach
    void documents() {
        index.clear();
        index.add("company", "about.md", "About Acme", "Acme sells anvils and rockets to coyotes.");
        index.add("company", "history.md", "History", "Acme was founded in 1947 in Springfield.");
    }

    @Test
    void evaluatesRetrievalAndAnswersOfAJsonlBody() throws Exception {
        String body = """
                {"id": "1", "question": "When was Acme founded?", "gold_documents": ["history.md"], "reference_answer": "1947"}
                {"id": "2", "question": "What does Acme sell?", "gold_documents": ["about.md"], "reference_answer": "anvils and rockets"}
                """;
        mvc.perform(post("/api/eval/company").contentType("application/x-ndjson").content(body))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.settings.collection").value("company"))
                .andExpect(jsonPath("$.settings.questions").value(2))
                .andExpect(jsonPath("$.settings.answerer").value("extractive"))
                .andExpect(jsonPath("$.retrieval[2].mode").value("hybrid"))
                .andExpect(jsonPath("$.retrieval[2].recallAt10").value(1.0))
                .andExpect(jsonPath("$.retrieval[2].perQuestion").doesNotExist())
                // The extractive answerer quotes the sentence holding the answer and cites its document.
                .andExpect(jsonPath("$.answers.contains").value(1.0))
                .andExpect(jsonPath("$.answers.citationGoldRate").value(1.0))
                .andExpect(jsonPath("$.answers.faithfulness").doesNotExist());
    }

    @Test
    void acceptsAJsonArrayAndCanSkipAnswers() throws Exception {
        mvc.perform(post("/api/eval/company?answers=false&modes=bm25").contentType(MediaType.APPLICATION_JSON)
                        .content("[{\"id\": \"1\", \"question\": \"anvils\", \"gold_documents\": [\"about.md\"]}]"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.retrieval.length()").value(1))
                .andExpect(jsonPath("$.retrieval[0].mrrAt10").value(1.0))
                .andExpect(jsonPath("$.answers").doesNotExist());
    }

    @Test
    void badInputIsAProblemNamingTheField() throws Exception {
        mvc.perform(post("/api/eval/company").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"id\": \"1\", \"question\": \"q\", \"gold_documents\": [\"a\"]}\n{\"id\": \"2\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("body"))
                .andExpect(jsonPath("$.detail").value("body line 2: missing field 'question'"));
        mvc.perform(post("/api/eval/company?modes=bm25,reranked").contentType(MediaType.APPLICATION_JSON)
                        .content("[{\"id\": \"1\", \"question\": \"q\", \"gold_documents\": [\"a\"]}]"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("modes"));
        mvc.perform(post("/api/eval/company?judge=true").contentType(MediaType.APPLICATION_JSON)
                        .content("[{\"id\": \"1\", \"question\": \"q\", \"gold_documents\": [\"a\"]}]"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("judge"));
        mvc.perform(post("/api/eval/company").contentType(MediaType.APPLICATION_JSON).content("[]"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("body"));
    }

    @Test
    void tooManyQuestionsAreRefused() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i <= EvalController.MAX_QUESTIONS; i++) {
            body.append("{\"id\": \"").append(i).append("\", \"question\": \"q\", \"gold_documents\": [\"a\"]}\n");
        }
        mvc.perform(post("/api/eval/company").contentType(MediaType.APPLICATION_JSON).content(body.toString()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("body"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("at most 200")));
    }

    @Test
    void anUnknownCollectionIsNotFound() throws Exception {
        mvc.perform(post("/api/eval/nowhere").contentType(MediaType.APPLICATION_JSON)
                        .content("[{\"id\": \"1\", \"question\": \"q\", \"gold_documents\": [\"a\"]}]"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }
}
