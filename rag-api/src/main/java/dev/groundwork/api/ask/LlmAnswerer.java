package dev.groundwork.api.ask;

import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.model.llm.Generation;
import dev.groundwork.model.llm.TextGenerator;
import dev.groundwork.model.sample.SamplingParams;
import java.util.List;

/**
 * Answers with a local language model: the retrieved passages, fitted to the model's context by
 * {@link AnswerPrompt}, are numbered in the prompt and the model is told to answer only from them, citing them as
 * {@code [n]}. Its text is streamed as generated; afterwards {@link CitationMarkers} keeps only the passages the
 * answer cites, renumbers them 1..m and removes markers that point to no passage (counted in
 * {@link Answer#danglingMarkers()}).
 *
 * <p>With no passage to answer from the model is not called at all: the answer says so, without citations.
 * Thread-safe: the generator serialises generations and this class holds no mutable state.
 */
public final class LlmAnswerer implements Answerer {

    /** The answer when the model wrote nothing but markers or whitespace (or was cancelled before writing). */
    public static final String EMPTY_ANSWER = "The model gave no answer.";

    private final TextGenerator generator;
    private final AnswerPrompt prompt;
    private final SamplingParams sampling;
    private final CitationMarkers markers = new CitationMarkers();

    /**
     * @param generator the model; not closed by this class
     * @param prompt the prompt template with its few-shot examples
     * @param sampling how tokens are chosen; {@code maxNewTokens} is reserved out of the context budget
     */
    public LlmAnswerer(TextGenerator generator, AnswerPrompt prompt, SamplingParams sampling) {
        this.generator = generator;
        this.prompt = prompt;
        this.sampling = sampling;
        if (sampling.maxNewTokens() >= generator.contextLength()) {
            throw new IllegalArgumentException("rag.answer.max-new-tokens (" + sampling.maxNewTokens()
                    + ") must be less than the context of " + generator.modelId() + " ("
                    + generator.contextLength() + " tokens)");
        }
    }

    /** {@code llm:} followed by the model id. */
    @Override
    public String name() {
        return "llm:" + generator.modelId();
    }

    @Override
    public Answer answer(String question, List<ScoredChunk> passages) {
        return answer(question, passages, AnswerListener.NONE);
    }

    @Override
    public Answer answer(String question, List<ScoredChunk> passages, AnswerListener listener) {
        return answer(question, List.of(), passages, listener);
    }

    /** The earlier turns go into the prompt as chat messages: the latest that fit (see {@link AnswerPrompt}). */
    @Override
    public Answer answer(String question, List<ConversationTurn> history, List<ScoredChunk> passages,
            AnswerListener listener) {
        if (passages.isEmpty()) {
            return noPassage(0);
        }
        AnswerPrompt.Plan plan = prompt.plan(question, history, passages, generator, sampling.maxNewTokens());
        if (plan.passages().isEmpty()) {
            return noPassage(plan.passagesDropped());
        }
        Generation generation = generator.generate(plan.prompt(), sampling, listener::onText);
        CitationMarkers.Resolved resolved = markers.resolve(generation.text(), plan.passages());
        String text = resolved.text().isBlank() ? EMPTY_ANSWER : resolved.text();
        AnswerContext context = new AnswerContext(plan.passages().size(), plan.passagesDropped(),
                plan.lastPassageTruncated(), plan.promptTokens(), generation.tokenIds().size(),
                generation.finishReason().name());
        return new Answer(text, resolved.citations(), name(), resolved.danglingMarkers(), context);
    }

    private Answer noPassage(int dropped) {
        return new Answer(ExtractiveAnswerer.NO_ANSWER, List.of(), name(), 0,
                new AnswerContext(0, dropped, false, 0, 0, null));
    }
}
