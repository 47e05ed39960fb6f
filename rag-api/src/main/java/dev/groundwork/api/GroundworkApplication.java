package dev.groundwork.api;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Entry point of the Groundwork service. Starts with {@code --rag.data-dir=PATH}; without it the index lives in
 * {@code ./data} (the configuration logs which folder it uses).
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
        SpringApplication application = new SpringApplication(GroundworkApplication.class);
        application.setDefaultProperties(Map.of("rag.data-dir", DEFAULT_DATA_DIR));
        application.run(args);
    }
}
