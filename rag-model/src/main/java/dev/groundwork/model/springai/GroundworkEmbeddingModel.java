package dev.groundwork.model.springai;

import dev.groundwork.model.embed.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;

/**
 * Spring AI's {@link EmbeddingModel} over a Groundwork {@link Embedder}, so that Spring AI components (vector
 * stores, advisors) can use the local model.
 *
 * <p>Spring AI has no notion of query versus passage: {@link #of} embeds everything as passages, {@link #forQueries}
 * everything as queries (with the model's query prefix, for bge or e5). Request options may name the model and
 * the dimensions; if they name others than the embedder's, the call is refused rather than answered with
 * vectors of another model. Inputs over the model's window throw
 * {@link dev.groundwork.model.embed.InputTooLongException}. Thread-safe as the embedder is; it does not own the
 * embedder and never closes it.
 */
public final class GroundworkEmbeddingModel implements EmbeddingModel {

    private final Embedder embedder;
    private final boolean queries;

    private GroundworkEmbeddingModel(Embedder embedder, boolean queries) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.queries = queries;
    }

    /** Embeds every text as a passage (document, chunk). */
    public static GroundworkEmbeddingModel of(Embedder embedder) {
        return new GroundworkEmbeddingModel(embedder, false);
    }

    /** Embeds every text as a search query, with the model's query instruction if it has one. */
    public static GroundworkEmbeddingModel forQueries(Embedder embedder) {
        return new GroundworkEmbeddingModel(embedder, true);
    }

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        Objects.requireNonNull(request, "request");
        checkOptions(request.getOptions());
        List<float[]> vectors = embedTexts(request.getInstructions());
        List<Embedding> embeddings = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            embeddings.add(new Embedding(vectors.get(i), i));
        }
        return new EmbeddingResponse(embeddings, new EmbeddingResponseMetadata(embedder.modelId(), new EmptyUsage()));
    }

    @Override
    public float[] embed(String text) {
        Objects.requireNonNull(text, "text");
        return queries ? embedder.embedQuery(text) : embedder.embed(text);
    }

    @Override
    public float[] embed(Document document) {
        Objects.requireNonNull(document, "document");
        String text = getEmbeddingContent(document);
        if (text == null) {
            throw new IllegalArgumentException("document " + document.getId() + " has no text to embed");
        }
        return embed(text);
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        return embedTexts(texts);
    }

    @Override
    public int dimensions() {
        return embedder.dimensions();
    }

    private List<float[]> embedTexts(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (!queries) {
            return embedder.embedAll(texts);
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            vectors.add(embedder.embedQuery(text));
        }
        return vectors;
    }

    private void checkOptions(EmbeddingOptions options) {
        if (options == null) {
            return;
        }
        if (options.getModel() != null && !options.getModel().equals(embedder.modelId())) {
            throw new IllegalArgumentException("request asks for model '" + options.getModel() + "' but this is '"
                    + embedder.modelId() + "'");
        }
        if (options.getDimensions() != null && options.getDimensions() != embedder.dimensions()) {
            throw new IllegalArgumentException("request asks for " + options.getDimensions()
                    + " dimensions but " + embedder.modelId() + " gives " + embedder.dimensions());
        }
    }
}
