package dev.groundwork.model.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.model.llm.Generation;
import dev.groundwork.model.llm.PromptTooLongException;
import dev.groundwork.model.sample.SamplingParams;
import dev.groundwork.model.testdoubles.ScriptedGenerator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

class GroundworkChatModelTest {

    private static final SamplingParams DEFAULTS = new SamplingParams(0.3, 20, 0.95, 0.05, 1.1, 0, 0, 1234, 64,
            List.of());

    private final ScriptedGenerator generator = new ScriptedGenerator("tiny-chat", List.of("Hello", ",", " world"),
            4096);
    private final GroundworkChatModel model = new GroundworkChatModel(generator, DEFAULTS);

    @Test
    void chatClientCallReturnsTheGeneratedTextForTheTemplatedPrompt() {
        String content = ChatClient.create(model).prompt().system("Be kind.").user("Who are you?").call().content();

        assertThat(content).isEqualTo("Hello, world");
        assertThat(generator.lastPrompt).isEqualTo("<|im_start|>system\nBe kind.<|im_end|>\n"
                + "<|im_start|>user\nWho are you?<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void callReportsUsageModelAndFinishReason() {
        ChatResponse response = model.call(new Prompt("Hi there"));

        assertThat(response.getResult().getOutput().getText()).isEqualTo("Hello, world");
        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
        assertThat(response.getMetadata().getModel()).isEqualTo("tiny-chat");
        // ChatML around "Hi there": "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n" is 4 words.
        assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(4);
        assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(3);
        assertThat(generator.lastParams).isEqualTo(DEFAULTS);
    }

    @Test
    void optionsOverrideTheDefaultsAndKeepTheRest() {
        ChatOptions options = ChatOptions.builder().temperature(0.9).topK(5).topP(0.5).maxTokens(2)
                .stopSequences(List.of("END")).frequencyPenalty(0.25).presencePenalty(0.5).build();

        ChatResponse response = model.call(new Prompt("Hi", options));

        assertThat(generator.lastParams).isEqualTo(new SamplingParams(0.9, 5, 0.5, 0.05, 1.1, 0.25, 0.5, 1234, 2,
                List.of("END")));
        assertThat(response.getResult().getOutput().getText()).isEqualTo("Hello,");
        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("LENGTH");
    }

    @Test
    void optionsNamingAnotherModelAreRefused() {
        Prompt prompt = new Prompt("Hi", ChatOptions.builder().model("gpt-4o").build());
        assertThatThrownBy(() -> model.call(prompt)).hasMessageContaining("tiny-chat").hasMessageContaining("gpt-4o");
    }

    @Test
    void streamEmitsPiecesInOrderFromANamedThreadThenTheFinishReason() {
        List<ChatResponse> responses = model.stream(new Prompt("Hi")).collectList().block(Duration.ofSeconds(10));

        assertThat(responses).isNotNull();
        List<String> texts = responses.stream().map(r -> r.getResult().getOutput().getText()).toList();
        assertThat(texts).containsExactly("Hello", ",", " world", "");
        assertThat(responses.get(3).getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
        assertThat(generator.lastThread).startsWith("groundwork-chat-");
        assertThat(ChatClient.create(model).prompt().user("Hi").stream().content().collectList()
                .block(Duration.ofSeconds(10))).containsExactly("Hello", ",", " world");
    }

    @Test
    void disposingTheStreamCancelsGeneration() throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        ScriptedGenerator slow = new ScriptedGenerator("slow", List.of("a", "b", "c", "d", "e"), 4096)
                .gateAfterFirstPiece(gate);
        GroundworkChatModel slowModel = new GroundworkChatModel(slow, DEFAULTS);

        ChatResponse first = slowModel.stream(new Prompt("Hi")).blockFirst(Duration.ofSeconds(10));
        gate.countDown();

        assertThat(first.getResult().getOutput().getText()).isEqualTo("a");
        assertThat(slow.finished.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(slow.lastGeneration.finishReason()).isEqualTo(Generation.FinishReason.CANCELLED);
        assertThat(slow.lastGeneration.tokenIds()).hasSizeLessThan(5);
    }

    @Test
    void generationErrorsReachTheCallerAndTheSubscriber() {
        ScriptedGenerator tiny = new ScriptedGenerator("tiny", List.of("x"), 8);
        GroundworkChatModel small = new GroundworkChatModel(tiny, SamplingParams.greedy(6));
        assertThatThrownBy(() -> small.call(new Prompt("one two three"))).isInstanceOf(PromptTooLongException.class);
        assertThatThrownBy(() -> small.stream(new Prompt("one two three")).blockLast(Duration.ofSeconds(10)))
                .isInstanceOf(PromptTooLongException.class);
    }
}
