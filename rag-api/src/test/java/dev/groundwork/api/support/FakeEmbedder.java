package dev.groundwork.api.support;

import dev.groundwork.model.embed.Embedder;
import dev.groundwork.model.tokenize.TokenCounter;
import java.util.List;

/** A two-dimensional "embedding" by text length parity; counts words as tokens. Records whether it was closed. */
public final class FakeEmbedder implements Embedder {

    private volatile boolean closed;

    public boolean closed() {
        return closed;
    }

    @Override
    public String modelId() {
        return "fake";
    }

    @Override
    public int dimensions() {
        return 2;
    }

    @Override
    public int maxInputTokens() {
        return 256;
    }

    @Override
    public TokenCounter tokenCounter() {
        return text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        return texts.stream().map(t -> t.length() % 2 == 0 ? new float[] {1f, 0f} : new float[] {0f, 1f}).toList();
    }

    @Override
    public void close() {
        closed = true;
    }
}
