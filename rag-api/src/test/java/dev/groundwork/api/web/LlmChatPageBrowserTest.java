package dev.groundwork.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.api.support.ExampleService;
import dev.groundwork.api.support.HeadlessChromium;
import dev.groundwork.api.support.ScriptedTextGenerator;
import dev.groundwork.model.llm.Generation;
import dev.groundwork.model.llm.TextGeneratorLoader;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The web chat answering through the LLM path in a real headless Chromium: the real service (Tika, MiniLM, Lucene
 * over the example documents, LlmAnswerer, /api/ask/stream) with the language model replaced by a scripted one that
 * writes a word every few milliseconds, so that a person can see text arrive and has time to press Stop. What a
 * real model adds (the forward pass) is tested in rag-model and in LlmEndToEndTest.
 */
class LlmChatPageBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Shared by the service's loader and the tests, which script and pace it per test. */
    private static final ScriptedTextGenerator MODEL = new ScriptedTextGenerator(1_000_000, "");

    private static ExampleService service;
    private static String base;

    private ChromeDriver browser;
    private WebDriverWait wait;

    /** Replaces the DJL runtime by name: whatever folder is configured, the scripted model answers. */
    @Configuration(proxyBeanMethods = false)
    static class ScriptedModel {

        @Bean
        TextGeneratorLoader textGeneratorLoader() {
            return (dir, device) -> MODEL;
        }
    }

    @AfterAll
    static void stopTheService() throws IOException {
        if (service != null) {
            service.close();
        }
    }

    @BeforeEach
    void openTheChat() throws IOException {
        HeadlessChromium.requireInstalled();
        if (service == null) {
            // the model folder only has to exist: the scripted loader ignores it
            service = ExampleService.start(new Class<?>[] {ScriptedModel.class}, Map.of(
                    "rag.model.path", "{dataDir}", "rag.answer.max-new-tokens", "5000"));
            base = service.base();
        }
        browser = HeadlessChromium.start(1280, 860);
        wait = new WebDriverWait(browser, PATIENCE, Duration.ofMillis(20));
        browser.get(base);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#collection option[value='handbook']")));
    }

    @AfterEach
    void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theAnswerAppearsWordByWordAndEndsWithItsCitations() {
        String cited = "Full-time employees receive 27 days of paid holiday per calendar year [1].";
        String rest = " Unused days may be carried over into the first quarter of the next year, and parental"
                + " leave is a separate allowance that the benefits guide describes in its own section.";
        MODEL.script(cited + rest);
        MODEL.pauseBeforeEachToken(60);
        int generationsBefore = MODEL.generations().size();
        browser.findElement(By.id("question")).sendKeys("How many days of paid holiday do employees get?", Keys.ENTER);

        // Part of the answer is on the page while the model is still writing.
        WebElement text = wait.until(d -> {
            WebElement t = d.findElement(By.cssSelector("#conversation > li.turn:nth-child(1) .answer.streaming"
                    + " .answer-text"));
            return t.getText().contains("27 days") ? t : null;
        });
        String partial = text.getText();
        assertThat(text.getDomAttribute("aria-busy")).isEqualTo("true");
        assertThat(browser.findElement(By.id("stop")).isDisplayed()).isTrue();
        assertThat((cited + rest).replace("[1]", "")).startsWith(partial.replace("[1]", "").strip());

        WebElement answer = finishedAnswer(1);
        assertThat(answer.getDomAttribute("class")).contains("done");
        WebElement done = answer.findElement(By.cssSelector(".answer-text"));
        assertThat(done.getText()).hasSizeGreaterThan(partial.length()).contains("parental leave");
        assertThat(done.getDomAttribute("aria-busy")).isEqualTo("false");
        assertThat(answer.findElement(By.cssSelector(".answer-meta .badge")).getText())
                .isEqualTo("LLM · scripted-7b");
        // The model's [1] became a button that opens the passage it points to, listed once under the answer.
        List<WebElement> markers = done.findElements(By.cssSelector("button.marker"));
        assertThat(markers).extracting(WebElement::getText).containsExactly("[1]");
        assertThat(answer.findElements(By.cssSelector(".source-list .source-item"))).hasSize(1);
        markers.get(0).click();
        WebElement panel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("source-panel")));
        assertThat(panel.findElement(By.cssSelector("blockquote.passage")).getText()).isNotBlank();
        assertThat(MODEL.generations()).hasSize(generationsBefore + 1);
        assertThat(MODEL.generations().get(generationsBefore).finishReason()).isEqualTo(Generation.FinishReason.EOS);
    }

    @Test
    void stopEndsTheAnswerInThePageAndTheGenerationOnTheServer() {
        int words = 3000;
        MODEL.script("anvils ".repeat(words));
        MODEL.pauseBeforeEachToken(10);
        int generationsBefore = MODEL.generations().size();
        browser.findElement(By.id("question")).sendKeys("What does the office sell?", Keys.ENTER);

        wait.until(d -> d.findElement(By.cssSelector("#conversation > li.turn:nth-child(1) .answer-text"))
                .getText().contains("anvils anvils"));
        browser.findElement(By.id("stop")).click();

        WebElement answer = finishedAnswer(1);
        assertThat(answer.getDomAttribute("class")).contains("stopped");
        assertThat(answer.findElement(By.cssSelector(".answer-status")).getText())
                .isEqualTo("You stopped this answer; the server stopped generating it.");
        assertThat(browser.findElement(By.id("send")).isDisplayed()).isTrue();
        // The server noticed the closed stream and stopped the model long before its 3,000 words (30 s).
        Generation generation = new WebDriverWait(browser, Duration.ofSeconds(10)).until(d ->
                MODEL.generations().size() > generationsBefore ? MODEL.generations().get(generationsBefore) : null);
        assertThat(generation.finishReason()).isEqualTo(Generation.FinishReason.CANCELLED);
        assertThat(generation.tokenIds().size()).isLessThan(words / 2);
    }

    @Test
    void aFollowUpIsSentWithTheEarlierTurnAndNewConversationForgetsIt() {
        MODEL.pauseBeforeEachToken(0);
        MODEL.script("Full-time employees receive 27 days of paid holiday per calendar year [1].");
        ask("How many days of paid holiday do employees get?");
        String firstAnswer = finishedAnswer(1).findElement(By.cssSelector(".answer-text")).getText();
        assertThat(firstAnswer).startsWith("Full-time employees receive 27 days");

        MODEL.script("Parental leave is a separate allowance [1].");
        int prompts = MODEL.prompts().size();
        ask("And how many weeks of parental leave?");
        assertThat(finishedAnswer(2).getDomAttribute("class")).contains("done");
        String followUp = MODEL.prompts().get(prompts);
        // The earlier turn precedes this one as a user and an assistant message, the answer as the page showed it
        // (without its marker, which named that turn's passage).
        int earlierQuestion = followUp.indexOf("<|user|>\nHow many days of paid holiday do employees get?\n<|end|>");
        int earlierAnswer = followUp.indexOf("<|assistant|>\nFull-time employees receive 27 days of paid holiday "
                + "per calendar year.\n<|end|>");
        int question = followUp.indexOf("Question: And how many weeks of parental leave?");
        assertThat(earlierQuestion).isPositive();
        assertThat(earlierAnswer).isGreaterThan(earlierQuestion);
        assertThat(question).isGreaterThan(earlierAnswer);

        browser.findElement(By.id("new-conversation")).click();
        assertThat(browser.findElements(By.cssSelector("#conversation > li"))).isEmpty();
        assertThat(browser.findElement(By.id("intro")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("new-conversation")).isDisplayed()).isFalse();

        MODEL.script("Part-time staff get holiday pro rata [1].");
        prompts = MODEL.prompts().size();
        ask("What about part-time staff?");
        assertThat(finishedAnswer(1).getDomAttribute("class")).contains("done");
        assertThat(browser.findElements(By.cssSelector("#conversation > li"))).hasSize(1);
        String fresh = MODEL.prompts().get(prompts);
        // Only the few-shot example precedes the question: no earlier turn of the cleared conversation.
        assertThat(fresh).contains("Question: What about part-time staff?")
                .doesNotContain("<|user|>\nHow many days", "<|user|>\nAnd how many weeks");
        assertThat(fresh.split("<\\|user\\|>", -1)).hasSize(3);
    }

    @Test
    void aStoppedTurnIsNotSentAsHistory() {
        MODEL.script("anvils ".repeat(3000));
        MODEL.pauseBeforeEachToken(10);
        ask("What does the office sell?");
        wait.until(d -> d.findElement(By.cssSelector("#conversation > li.turn:nth-child(1) .answer-text"))
                .getText().contains("anvils anvils"));
        browser.findElement(By.id("stop")).click();
        assertThat(finishedAnswer(1).getDomAttribute("class")).contains("stopped");

        MODEL.pauseBeforeEachToken(0);
        MODEL.script("Lot B [1].");
        ask("Where can staff park?");
        assertThat(finishedAnswer(2).getDomAttribute("class")).contains("done");
        String prompt = MODEL.prompts().get(MODEL.prompts().size() - 1);
        assertThat(prompt).contains("Question: Where can staff park?").doesNotContain("What does the office sell?");
        assertThat(prompt.split("<\\|user\\|>", -1)).hasSize(3);
    }

    private void ask(String question) {
        WebElement box = browser.findElement(By.id("question"));
        wait.until(d -> box.isEnabled() && d.findElement(By.id("send")).isDisplayed());
        box.sendKeys(question, Keys.ENTER);
    }

    /** Waits until the n-th answer of the conversation has finished (answered, stopped or failed). */
    private WebElement finishedAnswer(int n) {
        By selector = By.cssSelector("#conversation > li.turn:nth-child(" + n + ") .answer:not(.streaming)");
        return wait.until(ExpectedConditions.presenceOfElementLocated(selector));
    }
}
