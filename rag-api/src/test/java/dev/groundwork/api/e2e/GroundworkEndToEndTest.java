package dev.groundwork.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.ingest.pipeline.IngestListener;
import dev.groundwork.ingest.pipeline.IngestReport;
import dev.groundwork.ingest.pipeline.Ingester;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole product on its embedded default, over HTTP: Tika reads the example PDF, DOCX, HTML, Markdown and text
 * files, the real MiniLM model embeds them into a real Lucene index, and the service answers with citations that
 * must point at the document holding the answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroundworkEndToEndTest {

    private static final Path EXAMPLES = Path.of("..", "examples", "docs");
    private static final Pattern MARKER = Pattern.compile("\\[(\\d+)]");
    private static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws IOException {
        dataDir = Files.createTempDirectory("groundwork-e2e");
        registry.add("rag.data-dir", dataDir::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    Ingester ingester;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.shared();

    @BeforeAll
    void ingestTheExampleFolder() {
        IngestReport report = ingester.ingestDirectory(EXAMPLES, "handbook", IngestListener.NONE);
        assertThat(report.failures()).isEmpty();
        assertThat(report.outcomes()).hasSize(5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            How many days of paid holiday do employees get?   | benefits-guide.pdf        | 27 days   | 1
            What learning budget does each employee have?     | benefits-guide.pdf        | 1,500     | 2
            How long must passwords be?                       | security-handbook.html    | 16        |
            What is the meal allowance outside the EU?        | travel-policy.md          | 60 euros  |
            When does the cafeteria serve lunch?              | office-faq.txt            | 11:30     |
            How long does the probation period last?          | onboarding-checklist.docx | six months |
            """)
    void theAnswerCitesTheDocumentThatHoldsIt(String question, String source, String fact, Integer page)
            throws Exception {
        JsonNode answer = post("/api/ask", Map.of("question", question, "collection", "handbook", "topK", 5));

        assertThat(answer.path("answerer").asString()).isEqualTo("extractive");
        String text = answer.path("answer").asString();
        assertThat(text).contains(fact);
        JsonNode first = answer.path("citations").get(0);
        assertThat(first.path("source").asString()).isEqualTo(source);
        if (page != null) {
            assertThat(first.path("page").asInt()).isEqualTo(page);
        }
        // Every marker in the text names a citation, and every citation is used by a marker.
        List<Integer> markers = new ArrayList<>();
        Matcher m = MARKER.matcher(text);
        while (m.find()) {
            markers.add(Integer.parseInt(m.group(1)));
        }
        List<Integer> ids = new ArrayList<>();
        answer.path("citations").forEach(c -> ids.add(c.path("id").asInt()));
        assertThat(markers).isNotEmpty();
        assertThat(ids).containsExactlyInAnyOrderElementsOf(markers.stream().distinct().toList());
        assertThat(answer.path("timings").path("totalMs").asDouble()).isPositive();
    }

    @Test
    void healthIsUpForTheContainerCheck() throws Exception {
        assertThat(get("/actuator/health").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void searchShowsEachResultsRankInBothLists() throws Exception {
        JsonNode hits = get("/api/search?q=hardware+security+key&collection=handbook&k=5");

        assertThat(hits.size()).isBetween(1, 5);
        JsonNode top = hits.get(0);
        assertThat(top.path("source").asString()).isIn("security-handbook.html", "onboarding-checklist.docx");
        assertThat(top.path("bm25Rank").isNull() && top.path("vectorRank").isNull()).isFalse();
        assertThat(top.path("text").asString()).containsIgnoringCase("security key");
    }

    @Test
    void anUploadedDocumentIsAnsweredFromAndGoneOnceDeleted() throws Exception {
        String boundary = "groundwork-test-boundary";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"collection\"\r\n\r\nuploads\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"files\"; filename=\"parking.md\"\r\n"
                + "Content-Type: text/markdown\r\n\r\n"
                + "# Parking\n\nThe code of the parking garage gate is 4711. Bicycles park in the courtyard.\n\r\n"
                + "--" + boundary + "--\r\n";
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(uri("/api/documents"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(200);
        JsonNode result = json.readTree(upload.body()).path("results").get(0);
        assertThat(result.path("status").asString()).isEqualTo("ADDED");
        String documentId = result.path("documentId").asString();

        JsonNode answer = post("/api/ask", Map.of("question", "What is the parking garage gate code?",
                "collection", "uploads"));
        assertThat(answer.path("answer").asString()).contains("4711");
        assertThat(answer.path("citations").get(0).path("documentId").asString()).isEqualTo(documentId);

        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(uri("/api/documents/" + documentId))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(204);
        HttpResponse<String> gone = http.send(HttpRequest.newBuilder(uri("/api/ask"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                        Map.of("question", "What is the parking garage gate code?", "collection", "uploads"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        // The collection held only that document: it no longer exists.
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    private JsonNode post(String path, Map<String, Object> body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
