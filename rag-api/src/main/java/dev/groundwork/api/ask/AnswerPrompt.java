package dev.groundwork.api.ask;

import dev.groundwork.api.InvalidFieldException;
import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.model.llm.TextGenerator;
import dev.groundwork.model.template.ChatMessage;
import dev.groundwork.model.tokenize.TokenCounter;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Builds the grounded-answer prompt: a system message with the rules (answer only from the passages, cite them as
 * {@code [n]}, say so when they do not hold the answer), the few-shot examples as prior user/assistant turns, then
 * the retrieved passages numbered {@code [1]..[n]} (each under a short header: title, heading path, page) and the
 * question. Rendered with the model's own chat template.
 *
 * <p>The passages are fitted to the model's context: the prompt may use {@code contextLength − maxNewTokens}
 * tokens, counted with the model's own tokenizer. Passages are kept best first while they fit; the first one that
 * does not fit is cut at the last sentence boundary that fits (or left out when not even its first sentence does),
 * and every lower-ranked passage is dropped. The rendered prompt is counted once more as a whole, and trimmed
 * further if the pieces' counts underestimated it, so the budget is never exceeded.
 *
 * <p>A follow-up question carries the earlier turns of its conversation as user/assistant messages (the question,
 * then the answer without its {@code [n]} markers, which named that turn's passages) between the examples and the
 * current question, so that the model can resolve "it" or "and for part-time staff?". Those turns may use at most
 * half of the room the passages would otherwise have; the oldest are dropped first until they fit, and if the
 * prompt still ends up over the budget with no passage left, more of them go. Immutable and thread-safe.
 */
public final class AnswerPrompt {

    /** The default system message. */
    public static final String DEFAULT_SYSTEM_PROMPT = """
            You answer questions using only the numbered passages given with each question.
            - After each statement, cite the passage(s) it comes from with their numbers in square brackets, \
            like [1] or [2][3].
            - Use nothing but the passages: no outside knowledge, no guesses.
            - If the passages do not contain the answer, say that you cannot answer from the documents, and cite \
            nothing.
            - Be concise, and answer in the language of the question.""";

    private static final String SEPARATOR = "\n\n";
    private static final Pattern MARKER = Pattern.compile("\\s*\\[\\d+]");

    private final String systemPrompt;
    private final List<FewShotExample> examples;

    /**
     * @param systemPrompt the system message, or {@code null} for {@link #DEFAULT_SYSTEM_PROMPT}
     * @param examples few-shot examples, shown in this order; may be empty
     */
    public AnswerPrompt(String systemPrompt, List<FewShotExample> examples) {
        this.systemPrompt = systemPrompt == null || systemPrompt.isBlank() ? DEFAULT_SYSTEM_PROMPT : systemPrompt;
        this.examples = List.copyOf(examples);
    }

    /**
     * A prompt that fits the budget.
     *
     * @param prompt the rendered prompt, generation prompt included
     * @param passages the passages shown, in prompt order: {@code [n]} names {@code passages.get(n - 1)}
     * @param passagesDropped retrieved passages left out
     * @param lastPassageTruncated whether the last passage shown was cut at a sentence boundary
     * @param promptTokens tokens of {@code prompt}, never more than the budget
     * @param historyTurns earlier turns of the conversation shown (the most recent ones)
     */
    public record Plan(String prompt, List<ScoredChunk> passages, int passagesDropped, boolean lastPassageTruncated,
            int promptTokens, int historyTurns) {

        public Plan {
            passages = List.copyOf(passages);
        }
    }

    /** The conversation: system, examples as prior turns, then the passages and the question. */
    public List<ChatMessage> messages(String question, List<String> passageBlocks) {
        return messages(question, List.of(), passageBlocks);
    }

    /**
     * The conversation: system, examples as prior turns, the earlier turns of this conversation (without their
     * passages), then the passages and the question.
     *
     * @param history earlier turns, oldest first; may be empty
     */
    public List<ChatMessage> messages(String question, List<ConversationTurn> history, List<String> passageBlocks) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(ChatMessage.system(systemPrompt));
        for (FewShotExample example : examples) {
            List<String> blocks = new ArrayList<>();
            for (FewShotExample.Passage p : example.passages()) {
                blocks.add(block(blocks.size() + 1, p.title(), p.headingPath(), p.page(), p.text()));
            }
            messages.add(ChatMessage.user(userMessage(question(example.question()), blocks)));
            messages.add(ChatMessage.assistant(example.answer()));
        }
        for (ConversationTurn turn : history) {
            messages.add(ChatMessage.user(turn.question().strip()));
            String answer = MARKER.matcher(turn.answer()).replaceAll("").strip();
            messages.add(ChatMessage.assistant(answer.isEmpty() ? turn.answer().strip() : answer));
        }
        messages.add(ChatMessage.user(userMessage(question(question), passageBlocks)));
        return messages;
    }

    /**
     * Fits {@code passages} (best first) into the budget of {@code generator} and renders the prompt.
     *
     * @throws InvalidFieldException on {@code question} if the prompt without any passage already exceeds the budget
     * @throws IllegalArgumentException if {@code maxNewTokens} leaves no room for a prompt at all
     */
    public Plan plan(String question, List<ScoredChunk> passages, TextGenerator generator, int maxNewTokens) {
        return plan(question, List.of(), passages, generator, maxNewTokens);
    }

    /**
     * Fits the most recent turns of {@code history} and then {@code passages} (best first) into the budget of
     * {@code generator} and renders the prompt.
     *
     * @param history earlier turns of the conversation, oldest first; may be empty
     * @throws InvalidFieldException on {@code question} if the prompt without any passage or turn already exceeds
     *     the budget
     * @throws IllegalArgumentException if {@code maxNewTokens} leaves no room for a prompt at all
     */
    public Plan plan(String question, List<ConversationTurn> history, List<ScoredChunk> passages,
            TextGenerator generator, int maxNewTokens) {
        int budget = generator.contextLength() - maxNewTokens;
        if (budget < 1) {
            throw new IllegalArgumentException("rag.answer.max-new-tokens (" + maxNewTokens
                    + ") leaves no room for a prompt in the context of " + generator.contextLength() + " tokens of "
                    + generator.modelId());
        }
        TokenCounter counter = generator.tokenCounter();
        int bare = counter.countTokens(render(generator, question, List.of(), List.of()));
        if (bare > budget) {
            throw new InvalidFieldException("question", "the question is too long for the model: the prompt needs "
                    + bare + " tokens without any passage, the model has room for " + budget + " ("
                    + generator.contextLength() + " tokens of context minus " + maxNewTokens + " to generate)");
        }
        // The earlier turns may take half of what the passages would have; the oldest go first.
        List<ConversationTurn> turns = new ArrayList<>(history);
        int scaffold = bare;
        while (!turns.isEmpty()) {
            scaffold = counter.countTokens(render(generator, question, turns, List.of()));
            if (scaffold - bare <= (budget - bare) / 2) {
                break;
            }
            turns.remove(0);
            scaffold = bare;
        }

        List<Kept> kept = new ArrayList<>();
        int remaining = budget - scaffold;
        for (ScoredChunk passage : passages) {
            Kept whole = new Kept(passage, sentenceEnds(passage.chunk().text()), -1);
            int cost = counter.countTokens(whole.block(kept.size() + 1) + SEPARATOR);
            if (cost <= remaining) {
                kept.add(whole);
                remaining -= cost;
                continue;
            }
            Kept cut = longestFittingPrefix(whole, kept.size() + 1, remaining, counter);
            if (cut != null) {
                kept.add(cut);
            }
            break;
        }

        // Counts of the pieces can differ from the count of the whole (tokens merge across joins): verify.
        while (true) {
            String prompt = render(generator, question, turns, blocks(kept));
            int tokens = counter.countTokens(prompt);
            if (tokens <= budget) {
                boolean truncated = !kept.isEmpty() && kept.get(kept.size() - 1).sentences >= 0;
                return new Plan(prompt, kept.stream().map(Kept::passage).toList(), passages.size() - kept.size(),
                        truncated, tokens, turns.size());
            }
            if (kept.isEmpty() && !turns.isEmpty()) {
                turns.remove(0);
                continue;
            }
            if (kept.isEmpty()) {
                throw new IllegalStateException("the prompt without passages counted " + tokens + " tokens, over the "
                        + "budget of " + budget + ", after counting " + scaffold + " before");
            }
            Kept last = kept.remove(kept.size() - 1);
            int sentences = last.sentences < 0 ? last.ends.size() - 1 : last.sentences - 1;
            if (sentences >= 1) {
                kept.add(new Kept(last.passage, last.ends, sentences));
            }
        }
    }

    /** The header and text of passage {@code n}, as the model sees it. */
    static String block(int n, String title, String headingPath, Integer page, String text) {
        StringBuilder header = new StringBuilder("[").append(n).append("] ").append(title.strip());
        if (headingPath != null && !headingPath.isBlank() && !headingPath.strip().equals(title.strip())) {
            header.append(" — ").append(headingPath.strip());
        }
        if (page != null) {
            header.append(" (page ").append(page).append(')');
        }
        return header.append('\n').append(text.strip()).toString();
    }

    private String render(TextGenerator generator, String question, List<ConversationTurn> turns,
            List<String> blocks) {
        return generator.renderChat(messages(question, turns, blocks), true);
    }

    private static String userMessage(String question, List<String> blocks) {
        return "Passages:" + SEPARATOR + String.join(SEPARATOR, blocks) + SEPARATOR + question;
    }

    private static String question(String question) {
        return "Question: " + question.strip();
    }

    private static List<String> blocks(List<Kept> kept) {
        List<String> blocks = new ArrayList<>();
        for (Kept k : kept) {
            blocks.add(k.block(blocks.size() + 1));
        }
        return blocks;
    }

    /** The most whole sentences of {@code passage} whose block costs at most {@code room} tokens, or null. */
    private static Kept longestFittingPrefix(Kept passage, int n, int room, TokenCounter counter) {
        int lo = 1;
        int hi = passage.ends.size() - 1; // all sentences did not fit
        Kept best = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Kept candidate = new Kept(passage.passage, passage.ends, mid);
            if (counter.countTokens(candidate.block(n) + SEPARATOR) <= room) {
                best = candidate;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best;
    }

    private static List<Integer> sentenceEnds(String text) {
        BreakIterator boundaries = BreakIterator.getSentenceInstance(Locale.ROOT);
        boundaries.setText(text);
        List<Integer> ends = new ArrayList<>();
        for (int end = boundaries.next(); end != BreakIterator.DONE; end = boundaries.next()) {
            if (!text.substring(ends.isEmpty() ? 0 : ends.get(ends.size() - 1), end).isBlank()) {
                ends.add(end);
            }
        }
        return ends;
    }

    /** A passage as shown: whole ({@code sentences < 0}) or its first {@code sentences} sentences. */
    private record Kept(ScoredChunk passage, List<Integer> ends, int sentences) {

        String text() {
            String text = passage.chunk().text();
            return sentences < 0 ? text : text.substring(0, ends.get(sentences - 1));
        }

        String block(int n) {
            Chunk chunk = passage.chunk();
            return AnswerPrompt.block(n, chunk.title(), chunk.headingPathText(), chunk.page(), text());
        }
    }
}
