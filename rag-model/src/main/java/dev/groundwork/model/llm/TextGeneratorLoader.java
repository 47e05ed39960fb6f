package dev.groundwork.model.llm;

import java.nio.file.Path;

/**
 * Loads a local language model from a Hugging Face model folder: the seam through which the CLI and the service
 * get a {@link TextGenerator}, and tests substitute a scripted one.
 */
@FunctionalInterface
public interface TextGeneratorLoader {

    /**
     * @param modelDir a folder with config.json, safetensors weights, tokenizer.json and tokenizer_config.json
     * @param device {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto}
     * @return a generator the caller closes
     * @throws IllegalArgumentException or {@link IllegalStateException} naming the folder, file or tensor at fault
     */
    TextGenerator load(Path modelDir, String device);

    /** The runtime of this module: {@link CausalLm} on DJL's PyTorch engine, with its default precision. */
    static TextGeneratorLoader causalLm() {
        return (modelDir, device) -> CausalLm.load(modelDir, LoadOptions.defaults(device));
    }
}
