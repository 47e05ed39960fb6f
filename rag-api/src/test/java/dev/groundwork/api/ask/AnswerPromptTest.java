package dev.groundwork.api.ask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.api.InvalidFieldException;
import dev.groundwork.api.support.ScriptedTextGenerator;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.model.template.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prompt layout and context trimming. The scripted model counts whitespace-separated words as tokens, so a passage
 * block costs its header ({@code [n] Title n — Part n}, plus {@code (page n)} for even n) plus its words.
 */
class AnswerPromptTest {

    private static final String QUESTION = "What do the passages say?";
    private static final String TEN_WORDS = "One two three four five. Six seven eight nine ten.";
    private static final int MAX_NEW = 20;

    private final AnswerPrompt prompt = new AnswerPrompt(null, List.of());

    private int scaffold() {
        return prompt.plan(QUESTION, List.of(), new ScriptedTextGenerator(10_000, ""), MAX_NEW).promptTokens();
    }

    private AnswerPrompt.Plan plan(int room, List<ScoredChunk> passages) {
        return prompt.plan(QUESTION, passages, new ScriptedTextGenerator(MAX_NEW + scaffold() + room, ""), MAX_NEW);
    }

    @Test
    void numbersThePassagesUnderShortHeadersAfterTheRules() {
        List<ScoredChunk> passages = Passages.of("Alpha is first.", "Beta is second.");

        List<ChatMessage> messages = prompt.messages(QUESTION,
                List.of(AnswerPrompt.block(1, "Guide", "Install > Linux", 4, "Alpha is first."),
                        AnswerPrompt.block(2, "Notes", "", null, "Beta is second.")));

        assertThat(messages).extracting(ChatMessage::role).containsExactly("system", "user");
        assertThat(messages.get(0).content()).isEqualTo(AnswerPrompt.DEFAULT_SYSTEM_PROMPT)
                .contains("only the numbered passages", "[1]", "cannot answer");
        assertThat(messages.get(1).content()).isEqualTo("""
                Passages:

                [1] Guide — Install > Linux (page 4)
                Alpha is first.

                [2] Notes
                Beta is second.

                Question: What do the passages say?""");

        AnswerPrompt.Plan plan = plan(1000, passages);
        assertThat(plan.prompt()).contains("[1] Title 1 — Part 1\nAlpha is first.",
                "[2] Title 2 — Part 2 (page 2)\nBeta is second.").endsWith("<|assistant|>\n");
        assertThat(plan.passages()).containsExactlyElementsOf(passages);
        assertThat(plan.passagesDropped()).isZero();
        assertThat(plan.lastPassageTruncated()).isFalse();
    }

    @Test
    void aConfiguredSystemPromptReplacesTheDefault() {
        List<ChatMessage> messages = new AnswerPrompt("Answer like a pirate, citing [n].", List.of())
                .messages(QUESTION, List.of());

        assertThat(messages.get(0).content()).isEqualTo("Answer like a pirate, citing [n].");
    }

    @Test
    void fewShotExamplesComeAsPriorTurns() {
        FewShotExample example = FewShotExample.builtIn();
        List<ChatMessage> messages = new AnswerPrompt(null, List.of(example))
                .messages(QUESTION, List.of(AnswerPrompt.block(1, "Guide", "", null, "Alpha.")));

        assertThat(messages).extracting(ChatMessage::role).containsExactly("system", "user", "assistant", "user");
        assertThat(messages.get(1).content())
                .contains("[1] Larkspur Ferry Timetable — Weekend service (page 2)\nOn Sundays the first ferry",
                        "[2] Harbour Café\nThe harbour café", "Question: " + example.question());
        assertThat(messages.get(2).content()).isEqualTo(example.answer());
        assertThat(messages.get(3).content()).contains("[1] Guide\nAlpha.", "Question: " + QUESTION);
    }

    @Test
    void allPassagesFitExactlyWhenTheRoomEqualsTheirCost() {
        // Costs: [1] 6 + 10, [2] 8 + 10, [3] 6 + 10.
        AnswerPrompt.Plan plan = plan(16 + 18 + 16, Passages.of(TEN_WORDS, TEN_WORDS, TEN_WORDS));

        assertThat(plan.passages()).hasSize(3);
        assertThat(plan.passagesDropped()).isZero();
        assertThat(plan.promptTokens()).isEqualTo(scaffold() + 50);
    }

    @Test
    void theLastPassageThatDoesNotFitIsCutAtASentenceBoundary() {
        List<ScoredChunk> passages = Passages.of(TEN_WORDS, TEN_WORDS, "Eleven twelve thirteen fourteen fifteen. "
                + "Sixteen seventeen eighteen nineteen twenty.");

        AnswerPrompt.Plan plan = plan(16 + 18 + 15, passages);

        assertThat(plan.passages()).hasSize(3);
        assertThat(plan.lastPassageTruncated()).isTrue();
        assertThat(plan.prompt()).contains("[3] Title 3 — Part 3\nEleven twelve thirteen fourteen fifteen.\n")
                .doesNotContain("Sixteen");
        assertThat(plan.promptTokens()).isEqualTo(scaffold() + 16 + 18 + 11);
    }

    @Test
    void aPassageWhoseFirstSentenceDoesNotFitIsDropped() {
        AnswerPrompt.Plan plan = plan(16 + 18 + 10, Passages.of(TEN_WORDS, TEN_WORDS, "Eleven twelve thirteen "
                + "fourteen fifteen. Sixteen."));

        assertThat(plan.passages()).hasSize(2);
        assertThat(plan.passagesDropped()).isEqualTo(1);
        assertThat(plan.lastPassageTruncated()).isFalse();
        assertThat(plan.prompt()).doesNotContain("Eleven").doesNotContain("\n[3] ");
    }

    @Test
    void lowerRankedPassagesAreDroppedEvenWhenASmallOneWouldStillFit() {
        String long20 = "a b c d e f g h i j k l m n o p q r s t. u v w.";
        AnswerPrompt.Plan plan = plan(16 + 20, Passages.of(TEN_WORDS, long20, "Short one here.", TEN_WORDS));

        assertThat(plan.passages()).extracting(p -> p.chunk().source()).containsExactly("p1.md");
        assertThat(plan.passagesDropped()).isEqualTo(3);
        assertThat(plan.prompt()).doesNotContain("Short one here.");
    }

    @Test
    void neverExceedsTheBudgetAtAnyContextLength() {
        List<ScoredChunk> passages = Passages.of(TEN_WORDS, "A much longer passage. It has several sentences. Each "
                + "one is short. Some are shorter. Fine.", TEN_WORDS, "Last.");
        // Counting words plus one per ten words: pieces count fewer tokens than the whole, so the final count of the
        // rendered prompt must catch what the per-passage estimate missed.
        dev.groundwork.model.tokenize.TokenCounter superAdditive = text -> {
            int words = ScriptedTextGenerator.words(text);
            return words + words / 10;
        };
        for (int context = MAX_NEW + 1; context < MAX_NEW + 200; context++) {
            for (ScriptedTextGenerator generator : List.of(new ScriptedTextGenerator(context, ""),
                    new ScriptedTextGenerator(context, "", superAdditive))) {
                int budget = context - MAX_NEW;
                AnswerPrompt.Plan plan;
                try {
                    plan = prompt.plan(QUESTION, passages, generator, MAX_NEW);
                } catch (InvalidFieldException tooSmall) {
                    assertThat(generator.tokenCounter().countTokens(generator.renderChat(
                            prompt.messages(QUESTION, List.of()), true))).isGreaterThan(budget);
                    continue;
                }
                assertThat(plan.promptTokens()).isLessThanOrEqualTo(budget)
                        .isEqualTo(generator.tokenCounter().countTokens(plan.prompt()));
                assertThat(plan.passages()).containsExactlyElementsOf(passages.subList(0, plan.passages().size()));
                assertThat(plan.passages().size() + plan.passagesDropped()).isEqualTo(passages.size());
            }
        }
    }

    @Test
    void aQuestionTooLongForTheContextIsRejectedNamingTheField() {
        assertThatThrownBy(() -> prompt.plan("why ".repeat(500), Passages.of(TEN_WORDS),
                new ScriptedTextGenerator(300, ""), MAX_NEW))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("question"))
                .hasMessageContaining("room for 280");
    }
}
