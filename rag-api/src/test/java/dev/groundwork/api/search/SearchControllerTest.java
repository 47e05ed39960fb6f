package dev.groundwork.api.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.groundwork.api.support.ApiTest;
import dev.groundwork.api.support.InMemoryIndex;
import dev.groundwork.api.support.KeywordRetriever;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@ApiTest
class SearchControllerTest {

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
        index.add("docs", "install.md", "Install", "Install Java first.", "Then install the anvil server with Java.");
        index.add("docs", "usage.md", "Usage", "Start the anvil server.");
        index.add("other", "notes.md", "Notes", "The anvil server is heavy.");
    }

    @Test
    void returnsRankedHitsWithTheirListRanks() throws Exception {
        String body = mvc.perform(get("/api/search").param("q", "install anvil server java").param("collection", "docs"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.length()").value(3))
                .andExpect(jsonPath("$[0].rank").value(1))
                .andExpect(jsonPath("$[0].chunkId").value(index.chunks().get(1).id()))
                .andExpect(jsonPath("$[0].source").value("install.md"))
                .andExpect(jsonPath("$[0].text").value("Then install the anvil server with Java."))
                .andExpect(jsonPath("$[0].headingPath").value("Install"))
                .andExpect(jsonPath("$[0].bm25Rank").value(1))
                .andExpect(jsonPath("$[0].vectorRank").value(1))
                .andExpect(jsonPath("$[1].vectorRank").value(org.hamcrest.Matchers.nullValue()))
                .andReturn().getResponse().getContentAsString();

        List<Integer> ranks = JsonPath.read(body, "$[*].rank");
        List<Double> scores = JsonPath.read(body, "$[*].score");
        List<String> collections = JsonPath.read(body, "$[*].source");
        assertThat(ranks).containsExactly(1, 2, 3);
        assertThat(scores).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(collections).doesNotContain("notes.md");
    }

    @Test
    void limitsToKAndDefaultsToAllCollections() throws Exception {
        mvc.perform(get("/api/search").param("q", "anvil server").param("k", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(2));
        assertThat(retriever.lastQuery().collection()).isNull();
        assertThat(retriever.lastQuery().k()).isEqualTo(2);

        mvc.perform(get("/api/search").param("q", "anvil")).andExpect(status().isOk());
        assertThat(retriever.lastQuery().k()).isEqualTo(10);
    }

    @Test
    void aMissingQueryIsABadRequestNamingIt() throws Exception {
        mvc.perform(get("/api/search"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("q"));
        mvc.perform(get("/api/search").param("q", " "))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("q"));
    }

    @Test
    void aBadKIsABadRequestNamingIt() throws Exception {
        mvc.perform(get("/api/search").param("q", "anvil").param("k", "0"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("k"));
        mvc.perform(get("/api/search").param("q", "anvil").param("k", "ten"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("k"))
                .andExpect(jsonPath("$.detail", containsString("'ten'")));
    }

    @Test
    void anUnknownCollectionIsNotFound() throws Exception {
        mvc.perform(get("/api/search").param("q", "anvil").param("collection", "missing"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(retriever.lastQuery()).isNull();
    }
}
