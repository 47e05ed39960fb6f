package dev.groundwork.ingest.cli;

import dev.groundwork.ingest.index.postgres.PostgresIndex;
import dev.groundwork.ingest.index.postgres.Reembedder;
import dev.groundwork.model.embed.Embedder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code reembed --jdbc-url URL [--embedding-model DIR] [--check]}: re-embeds, from the stored chunk texts, every
 * document of the PostgreSQL store that another model embedded. With {@code --check} only reports: exit 0 when
 * nothing is stale, 1 when a re-embed is due.
 */
@Command(name = "reembed", mixinStandardHelpOptions = true,
        description = "Re-embeds the PostgreSQL store's chunks that another embedding model produced.")
final class ReembedCommand implements Callable<Integer> {

    private final IngestComponents components;

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = false, multiplicity = "1")
    private StoreOptions.Postgres postgres;

    @Option(names = "--embedding-model", paramLabel = "DIR",
            description = "ONNX sentence-transformers model folder (default: bundled all-MiniLM-L6-v2)")
    private Path embeddingModel;

    @Option(names = "--check", description = "only report whether a re-embed is due")
    private boolean check;

    ReembedCommand(IngestComponents components) {
        this.components = components;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Embedder embedder = components.embedder(embeddingModel); PostgresIndex index = StoreOptions.connect(postgres)) {
            Reembedder reembedder = new Reembedder(index, embedder);
            int stale = reembedder.staleDocuments().size();
            out.printf("store models %s; %d documents not embedded by %s%n", index.embeddingModels(), stale,
                    embedder.modelId());
            if (check) {
                out.flush();
                return stale == 0 ? 0 : 1;
            }
            int done = reembedder.run(n -> { });
            out.printf("re-embedded %d documents with %s (%d dimensions)%n", done, embedder.modelId(),
                    index.dimensions());
            out.flush();
            return 0;
        }
    }
}
