package dev.groundwork.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.api.support.ExampleService;
import dev.groundwork.api.support.HeadlessChromium;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web chat in a real headless Chromium against the real service: Tika, MiniLM and Lucene over the example
 * documents, the extractive answerer, answers streamed from {@code /api/ask/stream}. Nothing starts unless
 * Chromium is installed (see {@link HeadlessChromium}): the service is started by hand after that check, so a
 * skipped run costs nothing. Screenshots go to {@code target/browser/} for a person to look at.
 */
class ChatPageBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "browser");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static ExampleService service;
    private static String base;

    private final HttpClient http = HttpClient.newHttpClient();
    private ChromeDriver browser;
    private WebDriverWait wait;

    @AfterAll
    static void stopTheService() throws IOException {
        if (service != null) {
            service.close();
        }
    }

    @BeforeEach
    void openTheChat() throws IOException {
        // Checked per test, not in @BeforeAll: surefire reports a class-level skip as zero tests, without its reason.
        HeadlessChromium.requireInstalled();
        if (service == null) {
            // started by the first test that finds Chromium installed, so a run without it starts nothing
            service = ExampleService.start(new Class<?>[0], Map.of());
            base = service.base();
            Files.createDirectories(SCREENSHOTS);
        }
        browser = HeadlessChromium.start(1280, 860);
        wait = new WebDriverWait(browser, PATIENCE);
        browser.get(base);
        // The collection list is filled from GET /api/documents once the page has loaded.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#collection option[value='handbook']")));
    }

    @AfterEach
    void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aStreamedAnswerCitesThePassageItCameFrom() throws Exception {
        String question = "How many days of paid holiday do employees get?";
        new Select(browser.findElement(By.id("collection"))).selectByValue("handbook");
        browser.findElement(By.id("question")).sendKeys(question, Keys.ENTER);

        WebElement answer = finishedAnswer(1);
        assertThat(answer.getDomAttribute("class")).contains("done");
        WebElement text = answer.findElement(By.cssSelector(".answer-text"));
        assertThat(text.getText()).contains("27 days");
        assertThat(text.getDomAttribute("aria-live")).isEqualTo("polite");
        assertThat(text.getDomAttribute("aria-busy")).isEqualTo("false");
        assertThat(answer.findElement(By.cssSelector(".answer-meta .badge")).getText()).isEqualTo("extractive");
        assertThat(answer.findElement(By.cssSelector(".answer-meta .timing")).getText()).matches("\\d+(\\.\\d)? m?s");

        // The page shows exactly what the API cites: the same passages, in the same order, under the same numbers.
        JsonNode expected = ask(question, "handbook").path("citations");
        List<WebElement> markers = text.findElements(By.cssSelector("button.marker"));
        assertThat(markers).isNotEmpty();
        List<String> markerIds = markers.stream().map(m -> m.getDomAttribute("data-citation")).distinct().toList();
        List<String> citationIds = answer.findElements(By.cssSelector(".source-list .source-item")).stream()
                .map(item -> item.getDomAttribute("data-citation")).toList();
        assertThat(citationIds).hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(markerIds);
        assertThat(markers.get(0).getText()).isEqualTo("[1]");

        markers.get(0).click();
        WebElement panel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("source-panel")));
        JsonNode first = expected.get(0);
        assertThat(first.path("source").asString()).isEqualTo("benefits-guide.pdf");
        assertThat(panel.findElement(By.id("source-heading")).getText()).isEqualTo("Source [1]");
        assertThat(panel.findElement(By.cssSelector(".source-facts")).getText())
                .contains("benefits-guide.pdf", first.path("title").asString(), "Page\n1");
        assertThat(panel.findElement(By.cssSelector("blockquote.passage")).getText())
                .isEqualTo(first.path("snippet").asString().strip())
                .contains("27");
        // The sentence of the answer that cites the passage is highlighted in it.
        assertThat(panel.findElement(By.cssSelector("blockquote.passage mark")).getText())
                .isEqualTo("Every full-time employee receives 27 days of paid holiday per calendar year")
                .isSubstringOf(text.getText());
        assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("source-heading");
        screenshot("chat.png");

        // Escape closes the panel and gives the focus back to the marker; the conversation keeps both turns.
        browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("source-panel")));
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("[1]");
        browser.findElement(By.id("question")).sendKeys("When does the cafeteria serve lunch?", Keys.ENTER);
        assertThat(finishedAnswer(2).findElement(By.cssSelector(".answer-text")).getText()).contains("11:30");
        assertThat(browser.findElements(By.cssSelector("#conversation > li.turn"))).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("#conversation .question-text")).get(0).getText())
                .isEqualTo(question);

        // On a phone the passage opens as a sheet over the conversation.
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.findElements(By.cssSelector("#conversation .source-item")).get(0).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("source-panel")));
        screenshot("chat-narrow.png");
        assertThat(overflowingElements()).as("elements wider than a 390 px screen").isEmpty();
        assertThat(browser.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
                .as("sideways scrolling").isEqualTo(0L);
    }

    @Test
    void anEmptyQuestionShowsTheApisProblemDetail() throws Exception {
        assertThat(browser.findElement(By.id("intro")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("empty-index")).isDisplayed()).as("documents are indexed").isFalse();
        screenshot("start.png");
        browser.findElement(By.id("send")).click();

        WebElement answer = finishedAnswer(1);
        assertThat(answer.getDomAttribute("class")).contains("failed");
        WebElement error = answer.findElement(By.cssSelector(".answer-status.error"));
        assertThat(error.getDomAttribute("role")).isEqualTo("alert");
        assertThat(error.getText()).isEqualTo("question must not be empty");
        // The send button is back: the page is ready for the next question.
        assertThat(browser.findElement(By.id("send")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("stop")).isDisplayed()).isFalse();
        screenshot("error.png");
    }

    @Test
    void aServerThatCannotBeReachedIsSaidSo() {
        ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
        offline.setOffline(true);
        browser.setNetworkConditions(offline);
        browser.findElement(By.id("question")).sendKeys("When does the cafeteria serve lunch?", Keys.ENTER);

        WebElement error = finishedAnswer(1).findElement(By.cssSelector(".answer-status.error"));
        assertThat(error.getText()).isEqualTo(
                "Could not reach the Groundwork server. Check that it is running and try again.");
    }

    @Test
    void aDocumentIsUploadedListedAndDeletedThroughTheDocumentsView() throws Exception {
        Path folder = Files.createTempDirectory("groundwork-upload");
        Path parking = Files.writeString(folder.resolve("parking.md"),
                "# Parking\n\nThe code of the parking garage gate is 4711. Bicycles park in the courtyard.\n");
        Path unsupported = Files.writeString(folder.resolve("notes.xyz"), "not a document format");

        browser.findElement(By.id("nav-documents")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("documents-body"), "benefits-guide.pdf"));
        assertThat(browser.findElement(By.id("nav-documents")).getDomAttribute("aria-current")).isEqualTo("page");
        browser.findElement(By.id("upload-collection")).sendKeys("uploads");
        browser.findElement(By.id("upload-files")).sendKeys(parking + "\n" + unsupported);
        browser.findElement(By.id("upload-button")).click();

        // One result per file: the Markdown file is added, the unknown type fails with the API's reason.
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#upload-status .outcome"), 2));
        List<WebElement> outcomes = browser.findElements(By.cssSelector("#upload-status .outcome"));
        assertThat(outcomes.get(0).getDomAttribute("class")).contains("added");
        assertThat(outcomes.get(0).getText()).contains("parking.md", "1 chunk");
        assertThat(outcomes.get(1).getDomAttribute("class")).contains("failed");
        assertThat(outcomes.get(1).getText()).contains("notes.xyz", "unsupported file type");
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//tbody[@id='documents-body']/tr[td[1]='uploads' and td[2]='parking.md']")));
        String documentId = row.getDomAttribute("data-document");
        assertThat(documentIds("uploads")).containsExactly(documentId);
        screenshot("documents.png");

        row.findElement(By.cssSelector("button.danger")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-delete")));
        assertThat(dialog.getText()).contains("parking.md", "uploads");
        dialog.findElement(By.id("confirm-delete-button")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("documents-status"),
                "Deleted parking.md from uploads."));
        assertThat(browser.findElement(By.id("documents-body")).getText()).doesNotContain("parking.md")
                .contains("benefits-guide.pdf");
        assertThat(get("api/documents?collection=uploads").statusCode()).isEqualTo(404);
        // The chat no longer offers the emptied collection.
        assertThat(browser.findElements(By.cssSelector("#collection option[value='uploads']"))).isEmpty();
    }

    @Test
    void theSseParserReadsEventsHoweverTheStreamIsSliced() {
        // The page's own parser (js/sse.js) in the browser: LF, CRLF and CR line ends, comments, multi-line data,
        // an id-only event (ignored), an event cut off by the end (discarded), and a CR that ends the stream.
        @SuppressWarnings("unchecked")
        List<String> results = (List<String>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const stream = 'event:token\\ndata:{"text":"a"}\\n\\n: comment\\r\\nevent: answer\\r\\n'
                    + 'data: line1\\r\\ndata:  line2\\r\\n\\r\\ndata:x\\r\\rid:7\\n\\nevent:cut\\ndata:lost';
                import('./js/sse.js').then(({ SseParser }) => {
                    const results = [];
                    for (const size of [1, 2, 3, 7, 1000]) {
                        for (const tail of ['', '\\n\\ndata:y\\r\\r']) {
                            const events = [];
                            const parser = new SseParser(e => events.push(e.event + '=' + e.data));
                            const text = stream + tail;
                            for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
                            parser.end();
                            results.push(events.join('|'));
                        }
                    }
                    done(results);
                }, e => done([String(e)]));
                """);
        String events = "token={\"text\":\"a\"}|answer=line1\n line2|message=x";
        assertThat(results).hasSize(10);
        for (int i = 0; i < results.size(); i += 2) {
            assertThat(results.get(i)).isEqualTo(events);
            // With more text after it, the cut-off event is complete after all.
            assertThat(results.get(i + 1)).isEqualTo(events + "|cut=lost|message=y");
        }
    }

    /** Waits until the n-th answer of the conversation has finished (answered, stopped or failed). */
    private WebElement finishedAnswer(int n) {
        By selector = By.cssSelector("#conversation > li.turn:nth-child(" + n + ") .answer:not(.streaming)");
        return wait.until(ExpectedConditions.presenceOfElementLocated(selector));
    }

    /** Elements that stick out to the right of the window, which would make the page scroll sideways. */
    @SuppressWarnings("unchecked")
    private List<String> overflowingElements() {
        return (List<String>) browser.executeScript("""
                const width = document.documentElement.clientWidth;
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width)
                    .map(e => e.tagName + '#' + e.id + '.' + e.className + ' right='
                        + e.getBoundingClientRect().right);
                """);
    }

    private void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }

    private JsonNode ask(String question, String collection) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "api/ask"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonMapper.shared().writeValueAsString(
                        Map.of("question", question, "collection", collection)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonMapper.shared().readTree(response.body());
    }

    private List<String> documentIds(String collection) throws Exception {
        HttpResponse<String> response = get("api/documents?collection=" + collection);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonMapper.shared().readTree(response.body()).valueStream()
                .map(doc -> doc.path("documentId").asString()).toList();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
