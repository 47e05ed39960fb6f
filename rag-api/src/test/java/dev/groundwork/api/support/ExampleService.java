package dev.groundwork.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.api.GroundworkApplication;
import dev.groundwork.ingest.pipeline.IngestListener;
import dev.groundwork.ingest.pipeline.Ingester;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real service on a free port over a throwaway data folder, with {@code examples/docs} ingested into the
 * {@code handbook} collection, for tests that drive it from outside (a browser). Closing it stops the service and
 * deletes the folder.
 */
public final class ExampleService implements AutoCloseable {

    private static final Path EXAMPLES = Path.of("..", "examples", "docs");

    private final Path dataDir;
    private final ConfigurableApplicationContext app;
    private final String base;

    private ExampleService(Path dataDir, ConfigurableApplicationContext app) {
        this.dataDir = dataDir;
        this.app = app;
        this.base = "http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort() + "/";
    }

    /**
     * @param extraSources configuration classes beside the application's (beans in them replace its beans by name)
     * @param properties settings beside the port and data folder; {@code {dataDir}} in a value is replaced by the
     *     throwaway folder
     */
    public static ExampleService start(Class<?>[] extraSources, Map<String, String> properties) throws IOException {
        Path dataDir = Files.createTempDirectory("groundwork-service");
        Map<String, Object> all = new HashMap<>();
        all.put("server.port", "0");
        all.put("rag.data-dir", dataDir.resolve("index").toString());
        all.put("spring.main.banner-mode", "off");
        all.put("spring.main.allow-bean-definition-overriding", "true");
        properties.forEach((key, value) -> all.put(key, value.replace("{dataDir}", dataDir.toString())));
        Class<?>[] sources = new Class<?>[extraSources.length + 1];
        sources[0] = GroundworkApplication.class;
        System.arraycopy(extraSources, 0, sources, 1, extraSources.length);
        ConfigurableApplicationContext app = new SpringApplicationBuilder(sources).properties(all).run();
        ExampleService service = new ExampleService(dataDir, app);
        assertThat(app.getBean(Ingester.class).ingestDirectory(EXAMPLES, "handbook", IngestListener.NONE).failures())
                .isEmpty();
        return service;
    }

    /** {@code http://localhost:PORT/} */
    public String base() {
        return base;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws IOException {
        app.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
