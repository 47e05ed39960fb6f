package dev.groundwork.api.config;

import dev.groundwork.model.llm.TextGenerator;
import java.nio.file.Path;

/**
 * Loads the local language model named by {@code rag.model.path} onto {@code rag.model.device}. Called once, at
 * startup, and only when a model path is configured. The production bean ({@code textGeneratorFactory}) is wired
 * to the rag-model loader; tests replace it by name.
 */
@FunctionalInterface
public interface TextGeneratorFactory {

    /**
     * @param modelDir folder of a Hugging Face checkpoint (absolute, normalised, an existing directory)
     * @param device {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto}
     * @return the loaded model; the caller closes it
     * @throws IllegalStateException if the model cannot be loaded, with a message naming the folder and the reason
     */
    TextGenerator load(Path modelDir, String device);

    /** A factory for builds without an LLM runtime: it refuses with a clear message. */
    static TextGeneratorFactory unavailable() {
        return (modelDir, device) -> {
            throw new IllegalStateException("rag.model.path=" + modelDir + " is set, but there is no LLM runtime in "
                    + "this build to load it with; start without rag.model.path to answer extractively");
        };
    }
}
