package dev.groundwork.model.embed;

import dev.groundwork.model.tokenize.TokenCounter;
import java.util.List;

/**
 * A sentence-embedding model: turns texts into L2-normalised vectors of a fixed size, so that the dot
 * product of two vectors is their cosine similarity.
 *
 * <p>Inputs longer than {@link #maxInputTokens()} are rejected with an {@link InputTooLongException},
 * never silently cut: callers such as the chunker keep texts inside the window with {@link #tokenCounter()}.
 * Implementations are thread-safe; {@link #close()} releases native resources.
 */
public interface Embedder extends AutoCloseable {

    /** A stable identifier of the model, stored with every vector so that a model change can be detected. */
    String modelId();

    /** The length of every vector this model returns. */
    int dimensions();

    /** The most content tokens (see {@link TokenCounter}) one input may have. */
    int maxInputTokens();

    /** Counts tokens exactly as this model's tokenizer does. */
    TokenCounter tokenCounter();

    /**
     * Embeds passages (documents, chunks). Batching is the implementation's business.
     *
     * @return one normalised vector per input, in input order
     * @throws InputTooLongException if an input exceeds {@link #maxInputTokens()}
     */
    List<float[]> embedAll(List<String> texts);

    /** Embeds one passage. */
    default float[] embed(String text) {
        return embedAll(List.of(text)).get(0);
    }

    /**
     * Embeds a search query. Models trained with a query instruction (bge, e5) override this to add it;
     * symmetric models such as all-MiniLM-L6-v2 embed queries like passages.
     */
    default float[] embedQuery(String query) {
        return embed(query);
    }

    @Override
    void close();
}
