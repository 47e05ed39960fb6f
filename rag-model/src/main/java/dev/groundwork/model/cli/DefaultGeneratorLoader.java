package dev.groundwork.model.cli;

import dev.groundwork.model.llm.TextGenerator;
import java.nio.file.Path;

/**
 * The production {@link TextGeneratorLoader}. PLACEHOLDER: the LLM runtime (forward pass, safetensors reader) is
 * built on another branch; once merged, this class must call its loader. Until then it refuses clearly.
 */
public final class DefaultGeneratorLoader implements TextGeneratorLoader {

    @Override
    public TextGenerator load(Path modelDir, String device) {
        throw new IllegalStateException("no LLM runtime on this build: cannot load " + modelDir);
    }
}
