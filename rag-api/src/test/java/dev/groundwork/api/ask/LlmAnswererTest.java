package dev.groundwork.api.ask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.api.support.ScriptedTextGenerator;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.model.llm.Generation;
import dev.groundwork.model.sample.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlmAnswererTest {

    private static final SamplingParams GREEDY = SamplingParams.greedy(40);

    private final List<ScoredChunk> passages = Passages.of("The Seine flows through Paris.",
            "The Rhône flows through Lyon.", "The Loire is the longest river in France.");

    private static LlmAnswerer answerer(ScriptedTextGenerator generator, FewShotExample... examples) {
        return new LlmAnswerer(generator, new AnswerPrompt(null, List.of(examples)), GREEDY);
    }

    @Test
    void promptsWithTheNumberedPassagesAndKeepsOnlyTheCitedOnesRenumbered() {
        ScriptedTextGenerator generator = new ScriptedTextGenerator(1000,
                "The Loire is the longest [3]. The Seine flows through Paris [1][3]. Mars has rivers [7].");

        Answer answer = answerer(generator).answer("Which river is longest?", passages);

        String prompt = generator.prompts().get(0);
        assertThat(prompt).contains(AnswerPrompt.DEFAULT_SYSTEM_PROMPT, "[1] Title 1 — Part 1\nThe Seine",
                "[2] Title 2 — Part 2 (page 2)\nThe Rhône", "[3] Title 3 — Part 3\nThe Loire",
                "Question: Which river is longest?");
        assertThat(answer.answerer()).isEqualTo("llm:scripted-7b");
        assertThat(answer.text()).isEqualTo(
                "The Loire is the longest [1]. The Seine flows through Paris [2][1]. Mars has rivers.");
        assertThat(answer.citations()).extracting(Citation::source).containsExactly("p3.md", "p1.md");
        assertThat(answer.danglingMarkers()).isEqualTo(1);
        assertThat(answer.context()).isEqualTo(new AnswerContext(3, 0, false,
                ScriptedTextGenerator.words(prompt), 16, "EOS"));
        assertThat(generator.lastParams()).isEqualTo(GREEDY);
    }

    @Test
    void theBuiltInExampleIsAPriorTurnBeforeTheQuestion() {
        ScriptedTextGenerator generator = new ScriptedTextGenerator(1000, "Paris [1].");

        answerer(generator, FewShotExample.builtIn()).answer("Where does the Seine flow?", passages);

        String prompt = generator.prompts().get(0);
        int exampleQuestion = prompt.indexOf("<|user|>\nPassages:\n\n[1] Larkspur Ferry Timetable");
        int exampleAnswer = prompt.indexOf("<|assistant|>\n" + FewShotExample.builtIn().answer());
        int question = prompt.indexOf("Question: Where does the Seine flow?");
        assertThat(exampleQuestion).isPositive();
        assertThat(exampleAnswer).isGreaterThan(exampleQuestion);
        assertThat(question).isGreaterThan(exampleAnswer);
    }

    @Test
    void reportsPassagesDroppedToFitTheContext() {
        // Budget of 60 - 40 = 20 words: the prompt scaffolding plus at most one passage of this size.
        String sixWords = "Alpha beta gamma delta epsilon zeta.";
        ScriptedTextGenerator probe = new ScriptedTextGenerator(10_000, "");
        int scaffold = new AnswerPrompt(null, List.of()).plan("Q?", List.of(), probe, 40).promptTokens();
        ScriptedTextGenerator generator = new ScriptedTextGenerator(40 + scaffold + 12, "Alpha [1].");

        Answer answer = answerer(generator).answer("Q?", Passages.of(sixWords, sixWords, sixWords));

        assertThat(answer.context().passagesUsed()).isEqualTo(1);
        assertThat(answer.context().passagesDropped()).isEqualTo(2);
        assertThat(answer.context().promptTokens()).isLessThanOrEqualTo(generator.contextLength() - 40);
        assertThat(generator.prompts().get(0)).contains("\n[1] Title 1").doesNotContain("\n[2] ");
    }

    @Test
    void streamsThePiecesAsGeneratedAndStopsWhenTheListenerSaysSo() {
        ScriptedTextGenerator generator = new ScriptedTextGenerator(1000, "Paris is on the Seine [1] indeed.");
        List<String> pieces = new ArrayList<>();

        Answer whole = answerer(generator).answer("Where?", passages, piece -> pieces.add(piece));
        assertThat(String.join("", pieces)).isEqualTo("Paris is on the Seine [1] indeed.");
        assertThat(whole.context().finishReason()).isEqualTo("EOS");

        List<String> received = new ArrayList<>();
        Answer cancelled = answerer(generator).answer("Where?", passages, piece -> {
            received.add(piece);
            return received.size() < 2;
        });
        assertThat(received).containsExactly("Paris", " is");
        Generation generation = generator.generations().get(1);
        assertThat(generation.finishReason()).isEqualTo(Generation.FinishReason.CANCELLED);
        assertThat(generation.tokenIds()).hasSize(2);
        assertThat(cancelled.text()).isEqualTo("Paris is");
        assertThat(cancelled.context().finishReason()).isEqualTo("CANCELLED");
    }

    @Test
    void withoutPassagesTheModelIsNotAsked() {
        ScriptedTextGenerator generator = new ScriptedTextGenerator(1000, "Invented [1].");

        Answer answer = answerer(generator).answer("Anything?", List.of());

        assertThat(generator.prompts()).isEmpty();
        assertThat(answer.text()).isEqualTo(ExtractiveAnswerer.NO_ANSWER);
        assertThat(answer.citations()).isEmpty();
        assertThat(answer.answerer()).isEqualTo("llm:scripted-7b");
    }

    @Test
    void anAnswerOfOnlyDanglingMarkersSaysTheModelGaveNone() {
        ScriptedTextGenerator generator = new ScriptedTextGenerator(1000, " [5] ");

        Answer answer = answerer(generator).answer("Anything?", passages);

        assertThat(answer.text()).isEqualTo(LlmAnswerer.EMPTY_ANSWER);
        assertThat(answer.danglingMarkers()).isEqualTo(1);
        assertThat(answer.citations()).isEmpty();
    }

    @Test
    void refusesMaxNewTokensThatLeaveNoRoomForAPrompt() {
        assertThatThrownBy(() -> new LlmAnswerer(new ScriptedTextGenerator(40, ""), new AnswerPrompt(null, List.of()),
                GREEDY)).hasMessageContaining("rag.answer.max-new-tokens (40)").hasMessageContaining("40 tokens");
    }
}
