package dev.groundwork.model.embed;

import dev.groundwork.model.tokenize.TokenCounter;
import java.nio.file.Path;
import java.util.List;

/** Sentence-transformers models exported to ONNX, run on DJL's OnnxRuntime engine. TODO(skeleton). */
public abstract class OnnxSentenceEmbedder implements Embedder {

    /** all-MiniLM-L6-v2 from the langchain4j artifact on the class path; 256-token window. */
    public static OnnxSentenceEmbedder allMiniLmL6V2() {
        throw new UnsupportedOperationException("not yet");
    }

    /** A model folder holding {@code model.onnx} and {@code tokenizer.json} (and optionally a config). */
    public static OnnxSentenceEmbedder fromDirectory(Path dir) {
        throw new UnsupportedOperationException("not yet");
    }
}
