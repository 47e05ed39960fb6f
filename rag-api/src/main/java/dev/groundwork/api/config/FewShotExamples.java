package dev.groundwork.api.config;

import dev.groundwork.api.ask.FewShotExample;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The few-shot examples the prompt shows, from {@code rag.answer.*}: those of {@code few-shot-file} (JSON, or YAML
 * for {@code .yaml}/{@code .yml}), then those given as properties; when there are none, the built-in example
 * unless {@code built-in-example=false}. Stateless.
 */
final class FewShotExamples {

    private static final TypeReference<List<FewShotExample>> LIST = new TypeReference<>() { };

    private FewShotExamples() {
    }

    /**
     * @throws IllegalStateException if the file cannot be read or holds an invalid example, naming the file and
     *     the reason
     */
    static List<FewShotExample> of(RagProperties.Answering settings) {
        List<FewShotExample> examples = new ArrayList<>();
        if (settings.fewShotFile() != null) {
            examples.addAll(read(settings.fewShotFile().toAbsolutePath().normalize()));
        }
        examples.addAll(settings.fewShot());
        if (examples.isEmpty() && settings.builtInExample()) {
            examples.add(FewShotExample.builtIn());
        }
        return List.copyOf(examples);
    }

    static List<FewShotExample> read(Path file) {
        JsonMapper mapper = JsonMapper.shared();
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try (Reader reader = Files.newBufferedReader(file)) {
            List<FewShotExample> examples;
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
                examples = mapper.convertValue(tree, LIST);
            } else {
                examples = mapper.readValue(reader, LIST);
            }
            if (examples == null || examples.isEmpty()) {
                throw new IllegalStateException("rag.answer.few-shot-file " + file + " holds no example");
            }
            return examples;
        } catch (IOException e) {
            throw new IllegalStateException("rag.answer.few-shot-file " + file + " cannot be read: " + e, e);
        } catch (JacksonException | IllegalArgumentException | org.yaml.snakeyaml.error.YAMLException e) {
            throw new IllegalStateException("rag.answer.few-shot-file " + file + " does not hold a list of "
                    + "{question, passages: [{title, headingPath, page, text}], answer}: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
