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

    /**
     * Loads with a choice of how weights are held on CPU. A loader without that choice accepts only
     * {@link LoadOptions.CpuWeights#AUTO}.
     *
     * @throws IllegalArgumentException if this loader cannot honour {@code weights}
     */
    default TextGenerator load(Path modelDir, String device, LoadOptions.CpuWeights weights) {
        if (weights != LoadOptions.CpuWeights.AUTO) {
            throw new IllegalArgumentException("this model loader cannot hold weights as " + weights);
        }
        return load(modelDir, device);
    }

    /**
     * Loads with every option. A loader that only knows devices and weights accepts the defaults of the rest
     * (the model's own context, {@link LoadOptions.Decoder#AUTO}, {@link LoadOptions.Prefill#AUTO}).
     *
     * @throws IllegalArgumentException if this loader cannot honour {@code options}
     */
    default TextGenerator load(Path modelDir, LoadOptions options) {
        if (options.maxContext() != 0 || options.decoder() != LoadOptions.Decoder.AUTO
                || options.prefill() != LoadOptions.Prefill.AUTO) {
            throw new IllegalArgumentException("this model loader cannot load with " + options);
        }
        return load(modelDir, options.device(), options.cpuWeights());
    }

    /** The runtime of this module: {@link CausalLm} on DJL's PyTorch engine, by default with AUTO precision. */
    static TextGeneratorLoader causalLm() {
        return new TextGeneratorLoader() {
            @Override
            public TextGenerator load(Path modelDir, String device) {
                return load(modelDir, device, LoadOptions.CpuWeights.AUTO);
            }

            @Override
            public TextGenerator load(Path modelDir, String device, LoadOptions.CpuWeights weights) {
                return CausalLm.load(modelDir, new LoadOptions(device, 0, weights));
            }

            @Override
            public TextGenerator load(Path modelDir, LoadOptions options) {
                return CausalLm.load(modelDir, options);
            }
        };
    }
}
