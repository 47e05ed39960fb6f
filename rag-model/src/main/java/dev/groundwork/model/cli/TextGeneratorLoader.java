package dev.groundwork.model.cli;

import dev.groundwork.model.llm.TextGenerator;
import java.nio.file.Path;

/** Loads a local language model from a Hugging Face model folder; the CLI's seam to the LLM runtime. */
@FunctionalInterface
public interface TextGeneratorLoader {

    /**
     * @param modelDir a folder with config.json, safetensors weights, tokenizer.json and tokenizer_config.json
     * @param device {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto}
     * @return a generator the caller closes
     */
    TextGenerator load(Path modelDir, String device);
}
