package dev.groundwork.api.ask;

import dev.groundwork.ingest.retrieve.FusionOptions;
import dev.groundwork.ingest.retrieve.ReciprocalRankFusion;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.model.embed.InputTooLongException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Retrieves the passages for a question that may follow earlier turns of a conversation.
 *
 * <p>A follow-up is often elliptical ("And for part-time staff?"): its words alone find the wrong passages, or
 * none. But it may also switch topic, and then the earlier questions would pull in the old topic's passages. So
 * two rankings are fused with {@link ReciprocalRankFusion}: the question alone, and a contextual query made of the
 * question followed by the earlier questions (newest first, so that an embedder's window keeps the words that
 * matter most). A passage that both rankings find wins; an elliptical follow-up gets the earlier topic's
 * passages from the contextual ranking, a topic switch keeps its own from the question's ranking.
 *
 * <p>No language model rewrites the question: this works with the extractive answerer, costs no generation and
 * is deterministic. The earlier answers are left out of the query: they are long and would outweigh the question.
 * Without history this is exactly one retrieval of the question. When the contextual query is too long for the
 * embedder, the oldest earlier questions are left out of it until it fits (at worst the question alone is used).
 * Thread-safe if the retriever is.
 */
public final class FollowUpRetrieval {

    private final Retriever retriever;
    private final ReciprocalRankFusion fusion;
    private final int candidates;

    /**
     * @param retriever the retriever of both rankings
     * @param rrfK the fusion constant; both rankings weigh the same
     * @param candidates how deep each ranking is read before fusing (at least the passages asked for)
     */
    public FollowUpRetrieval(Retriever retriever, int rrfK, int candidates) {
        this.retriever = retriever;
        this.fusion = new ReciprocalRankFusion(new FusionOptions(rrfK, 1.0, 1.0, candidates));
        this.candidates = candidates;
    }

    /**
     * @param history the earlier turns to take into account, oldest first; empty for a question on its own
     * @return at most {@code query.k()} passages, best first; with history their score is the fused one and their
     *     ranks are those of the question's own ranking when it holds them, else of the contextual one
     */
    public List<ScoredChunk> retrieve(RetrievalQuery query, List<ConversationTurn> history) {
        if (history.isEmpty()) {
            return retriever.retrieve(query);
        }
        RetrievalQuery deep = query.withK(Math.max(query.k(), candidates));
        List<ScoredChunk> alone = retriever.retrieve(deep);
        List<ScoredChunk> contextual = List.of();
        for (int earlier = history.size(); earlier > 0; earlier--) {
            try {
                contextual = retriever.retrieve(new RetrievalQuery(contextualText(query.text(), history, earlier),
                        query.collection(), deep.k()));
                break;
            } catch (InputTooLongException e) {
                // The embedder's window is full: try again with fewer earlier questions.
            }
        }
        Map<String, ScoredChunk> originals = new HashMap<>();
        contextual.forEach(s -> originals.put(s.chunk().id(), s));
        alone.forEach(s -> originals.put(s.chunk().id(), s));
        List<ScoredChunk> fused = new ArrayList<>();
        for (ScoredChunk f : fusion.fuse(alone, contextual, query.k())) {
            ScoredChunk original = originals.get(f.chunk().id());
            fused.add(new ScoredChunk(original.chunk(), f.score(), original.bm25Rank(), original.vectorRank()));
        }
        return fused;
    }

    /** The question, then the last {@code earlier} questions of the history, newest first. */
    static String contextualText(String question, List<ConversationTurn> history, int earlier) {
        StringBuilder text = new StringBuilder(question.strip());
        for (int i = history.size() - 1; i >= history.size() - earlier; i--) {
            text.append('\n').append(history.get(i).question().strip());
        }
        return text.toString();
    }
}
