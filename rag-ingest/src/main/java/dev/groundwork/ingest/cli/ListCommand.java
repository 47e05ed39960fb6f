package dev.groundwork.ingest.cli;

import dev.groundwork.ingest.index.IndexedDocument;
import dev.groundwork.ingest.index.DocumentIndex;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code list (--data-dir PATH | --jdbc-url URL …) [--collection C]}: the indexed documents, one tab-separated
 * line each.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists indexed documents: collection, source, chunks, embedding model, indexed at, title.")
final class ListCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private StoreOptions store;

    @Option(names = "--collection", paramLabel = "NAME", description = "only this collection")
    private String collection;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (DocumentIndex index = store.open()) {
            List<String> names = collection != null ? List.of(collection) : List.copyOf(index.collections());
            for (String name : names) {
                for (IndexedDocument d : index.documents(name)) {
                    out.println(String.join("\t", d.collection(), d.source(), Integer.toString(d.chunkCount()),
                            d.embeddingModel(), d.indexedAt().toString(), d.title()));
                }
            }
        }
        out.flush();
        return 0;
    }
}
