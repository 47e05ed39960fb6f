package dev.groundwork.api.ask;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.api.support.ScriptedTextGenerator;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.model.sample.SamplingParams;
import dev.groundwork.model.tokenize.TokenCounter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A follow-up's prompt: the earlier turns as user/assistant messages before the passages and the question, fitted to
 * the context. The scripted model counts whitespace-separated words, so a turn costs its words plus four role lines.
 */
class AnswerPromptHistoryTest {

    private static final String QUESTION = "And the longest one?";
    private static final int MAX_NEW = 20;
    private static final String TEN_WORDS = "One two three four five. Six seven eight nine ten.";
    /** Three turns of 13 tokens each: 3 + 6 words once the markers are left out, and four role lines. */
    private static final List<ConversationTurn> HISTORY = List.of(
            new ConversationTurn("Which rivers flow?", "The Seine and the Rhône flow [1][2]."),
            new ConversationTurn("Through which cities?", "Paris [1] and Lyon [2], in that order."),
            new ConversationTurn("Which is French?", "Both of them are in France [1]."));

    private final AnswerPrompt prompt = new AnswerPrompt(null, List.of(FewShotExample.builtIn()));
    private final List<ScoredChunk> passages = Passages.of("The Seine flows through Paris.",
            "The Loire is the longest river in France.");

    @Test
    void theEarlierTurnsAreChatMessagesInOrderBeforeThePassagesAndTheQuestion() {
        ScriptedTextGenerator generator = new ScriptedTextGenerator(2000, "The Loire [2].");

        Answer answer = new LlmAnswerer(generator, prompt, SamplingParams.greedy(MAX_NEW))
                .answer(QUESTION, HISTORY.subList(0, 2), passages, AnswerListener.NONE);

        String sent = generator.prompts().get(0);
        int example = sent.indexOf("<|assistant|>\n" + FewShotExample.builtIn().answer());
        int firstQuestion = sent.indexOf("<|user|>\nWhich rivers flow?\n<|end|>\n");
        // The markers named that turn's passages, not this one's: they are left out.
        int firstAnswer = sent.indexOf("<|assistant|>\nThe Seine and the Rhône flow.\n<|end|>\n");
        int secondQuestion = sent.indexOf("<|user|>\nThrough which cities?\n<|end|>\n");
        int secondAnswer = sent.indexOf("<|assistant|>\nParis and Lyon, in that order.\n<|end|>\n");
        int current = sent.indexOf("<|user|>\nPassages:\n\n[1] Title 1");
        assertThat(example).isPositive();
        assertThat(List.of(example, firstQuestion, firstAnswer, secondQuestion, secondAnswer, current)).isSorted()
                .doesNotHaveDuplicates();
        assertThat(sent.indexOf("Question: " + QUESTION)).isGreaterThan(current);
        assertThat(sent).endsWith("Question: " + QUESTION + "\n<|end|>\n<|assistant|>\n");
        assertThat(answer.citations()).extracting(Citation::source).containsExactly("p2.md");
        assertThat(answer.context().promptTokens()).isEqualTo(ScriptedTextGenerator.words(sent));
    }

    @Test
    void theOldestTurnsAreDroppedWhenTheyWouldTakeMoreThanHalfTheRoom() {
        int bare = prompt.plan(QUESTION, List.of(), new ScriptedTextGenerator(10_000, ""), MAX_NEW).promptTokens();
        // Room 60: the turns may take 30 tokens, two of them (26).
        ScriptedTextGenerator generator = new ScriptedTextGenerator(MAX_NEW + bare + 60, "");

        AnswerPrompt.Plan plan = prompt.plan(QUESTION, HISTORY, passages, generator, MAX_NEW);

        assertThat(plan.historyTurns()).isEqualTo(2);
        assertThat(plan.prompt()).doesNotContain("Which rivers flow?")
                .contains("Through which cities?", "Which is French?");
        assertThat(plan.promptTokens()).isLessThanOrEqualTo(60 + bare)
                .isEqualTo(ScriptedTextGenerator.words(plan.prompt()));
        assertThat(plan.passages()).isNotEmpty();
    }

    @Test
    void neverExceedsTheBudgetAndKeepsTheLatestTurnsAtAnyContextLength() {
        List<ScoredChunk> many = Passages.of(TEN_WORDS, "A longer passage. It has several sentences. Fine.",
                TEN_WORDS);
        TokenCounter superAdditive = text -> {
            int words = ScriptedTextGenerator.words(text);
            return words + words / 10;
        };
        int fitted = 0;
        for (int context = MAX_NEW + 1; context < MAX_NEW + 600; context++) {
            for (ScriptedTextGenerator generator : List.of(new ScriptedTextGenerator(context, ""),
                    new ScriptedTextGenerator(context, "", superAdditive))) {
                int budget = context - MAX_NEW;
                AnswerPrompt.Plan plan;
                try {
                    plan = prompt.plan(QUESTION, HISTORY, many, generator, MAX_NEW);
                } catch (dev.groundwork.api.InvalidFieldException tooSmall) {
                    assertThat(generator.tokenCounter().countTokens(generator.renderChat(
                            prompt.messages(QUESTION, List.of()), true))).isGreaterThan(budget);
                    continue;
                }
                fitted++;
                assertThat(plan.promptTokens()).isLessThanOrEqualTo(budget)
                        .isEqualTo(generator.tokenCounter().countTokens(plan.prompt()));
                List<ConversationTurn> shown = HISTORY.subList(HISTORY.size() - plan.historyTurns(), HISTORY.size());
                for (ConversationTurn turn : HISTORY) {
                    assertThat(plan.prompt().contains("<|user|>\n" + turn.question() + "\n"))
                            .isEqualTo(shown.contains(turn));
                }
            }
        }
        assertThat(fitted).isGreaterThan(100);
    }

    @Test
    void withoutHistoryThePromptIsTheSameAsBefore() {
        ScriptedTextGenerator generator = new ScriptedTextGenerator(2000, "");

        assertThat(prompt.plan(QUESTION, List.of(), passages, generator, MAX_NEW))
                .isEqualTo(prompt.plan(QUESTION, passages, generator, MAX_NEW));
        assertThat(prompt.messages(QUESTION, List.of(), List.of("[1] x")))
                .isEqualTo(prompt.messages(QUESTION, List.of("[1] x")));
    }
}
