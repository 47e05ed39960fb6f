package dev.groundwork.api.eval;

import dev.groundwork.ingest.retrieve.RetrievalModes;
import dev.groundwork.model.llm.TextGenerator;

/**
 * What an evaluation runs against: the retrieval modes, and optionally the answering path and the judge model.
 *
 * @param retrievalModes BM25, vector and hybrid retrieval over one index; never {@code null}
 * @param answerer answers questions as the service does, or {@code null} when only retrieval can be evaluated
 * @param answererName name of the configured answerer (e.g. {@code extractive}), or {@code null} without one
 * @param answerTopK passages the answerer is given (recorded in reports), 0 without an answerer
 * @param embeddingModel id of the embedding model behind vector retrieval, or {@code null} when unknown
 * @param judgeModel the local language model that can judge answers, or {@code null} when none is configured
 */
public record EvalContext(RetrievalModes retrievalModes, QuestionAnswerer answerer, String answererName,
        int answerTopK, String embeddingModel, TextGenerator judgeModel) {

    public EvalContext {
        if (retrievalModes == null) {
            throw new IllegalArgumentException("retrievalModes must not be null");
        }
    }

    /** Retrieval only: no answerer, no judge. */
    public static EvalContext retrievalOnly(RetrievalModes retrievalModes) {
        return new EvalContext(retrievalModes, null, null, 0, null, null);
    }
}
