package dev.groundwork.api;

import dev.groundwork.api.ask.Answerer;
import dev.groundwork.api.config.RagProperties;
import dev.groundwork.api.eval.EvalCommand;
import dev.groundwork.api.eval.EvalContext;
import dev.groundwork.api.eval.QuestionAnswerer;
import dev.groundwork.ingest.retrieve.RetrievalModes;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.model.embed.Embedder;
import dev.groundwork.model.llm.CausalLm;
import dev.groundwork.model.llm.TextGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Entry point of the Groundwork service. Starts with {@code --rag.data-dir=PATH}; without it the index lives in
 * {@code ./data} (the configuration logs which folder it uses). {@code eval ...} runs the evaluation command instead
 * (see {@link EvalCommand}).
 */
@SpringBootApplication
public class GroundworkApplication {

    /** Lowest-precedence default: any property source that names {@code rag.data-dir} wins over it. */
    static final String DEFAULT_DATA_DIR = "./data";

    public static void main(String[] args) {
        // DJL must never reach the network (model zoo metadata, telemetry); an explicit -D setting still wins.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        CausalLm.loadNativeKernelsFirst();
        if (args.length > 0 && args[0].equals("eval")) {
            System.exit(EvalCommand.run(Arrays.copyOfRange(args, 1, args.length), GroundworkApplication::evalContext));
        }
        SpringApplication application = new SpringApplication(GroundworkApplication.class);
        application.setDefaultProperties(Map.of("rag.data-dir", DEFAULT_DATA_DIR));
        application.run(args);
    }

    /**
     * The server's own retrieval and answering beans over {@code dataDir} (and the language model in {@code model}
     * when given, else {@code rag.model.path} if set), in a context without a web server.
     */
    private static EvalContext evalContext(Path dataDir, Path model) {
        List<String> args = new ArrayList<>(List.of("--rag.data-dir=" + dataDir, "--spring.main.banner-mode=off"));
        if (model != null) {
            args.add("--rag.model.path=" + model);
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(GroundworkApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run(args.toArray(String[]::new));
        Runtime.getRuntime().addShutdownHook(new Thread(context::close, "groundwork-eval-shutdown"));
        Answerer answerer = context.getBean(Answerer.class);
        int topK = context.getBean(RagProperties.class).defaultTopK();
        return new EvalContext(context.getBean(RetrievalModes.class),
                QuestionAnswerer.of(context.getBean(Retriever.class), answerer, topK), answerer.name(), topK,
                context.getBean(Embedder.class).modelId(), context.getBeanProvider(TextGenerator.class).getIfAvailable());
    }
}
