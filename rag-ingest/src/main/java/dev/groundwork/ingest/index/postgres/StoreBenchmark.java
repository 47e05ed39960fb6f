package dev.groundwork.ingest.index.postgres;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.chunk.DocumentRef;
import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.EmbeddedChunk;
import dev.groundwork.ingest.index.IndexedDocument;
import dev.groundwork.ingest.index.lucene.LuceneIndex;
import dev.groundwork.ingest.retrieve.FusionOptions;
import dev.groundwork.ingest.retrieve.RetrievalModes;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench-stores --jdbc-url URL --data-dir PATH [--chunks 100000]}: the PostgreSQL store and the embedded
 * Lucene store side by side on the same synthetic corpus ({@link SyntheticCorpus}): ingestion throughput (one
 * transaction or commit per document), vector latency p50/p95 with HNSW and with an exact scan,
 * HNSW recall@k against the exact result, and BM25 and hybrid latency. The database must be empty.
 */
@Command(name = "bench-stores", mixinStandardHelpOptions = true,
        description = "Benchmarks the PostgreSQL and the Lucene store on a synthetic corpus (markdown on stdout).")
public final class StoreBenchmark implements Callable<Integer> {

    private static final int WORDS_PER_CHUNK = 40;

    @Spec
    private CommandSpec spec;

    @Option(names = "--jdbc-url", required = true, paramLabel = "URL", description = "an empty PostgreSQL database")
    private String jdbcUrl;

    @Option(names = "--data-dir", required = true, paramLabel = "PATH",
            description = "empty folder for the Lucene index and the BM25 mirror")
    private Path dataDir;

    @Option(names = "--chunks", defaultValue = "100000", description = "chunks to store (default ${DEFAULT-VALUE})")
    private int chunks;

    @Option(names = "--dimensions", defaultValue = "384", description = "vector size (default ${DEFAULT-VALUE})")
    private int dimensions;

    @Option(names = "--queries", defaultValue = "100", description = "measured queries (default ${DEFAULT-VALUE})")
    private int queries;

    @Option(names = "--k", defaultValue = "10", description = "results per query (default ${DEFAULT-VALUE})")
    private int k;

    @Option(names = "--chunks-per-document", defaultValue = "10",
            description = "chunks per document, i.e. per transaction or commit (default ${DEFAULT-VALUE})")
    private int chunksPerDocument;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    private long seed;

    @Override
    public Integer call() throws Exception {
        if (chunksPerDocument < 1 || chunks < chunksPerDocument || queries < 1 || k < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--chunks >= --chunks-per-document >= 1, --queries >= 1 and --k >= 1 please");
        }
        PrintWriter out = spec.commandLine().getOut();
        SyntheticCorpus corpus = new SyntheticCorpus(20_000, dimensions, seed);
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) {
            texts.add(corpus.text(random, WORDS_PER_CHUNK));
        }
        List<float[]> vectors = corpus.embedAll(texts);
        List<String> questions = new ArrayList<>();
        for (int q = 0; q < queries + 20; q++) {
            String[] words = texts.get(random.nextInt(chunks)).split(" ");
            questions.add(String.join(" ", Arrays.copyOfRange(words, 0, 6)));
        }
        Files.createDirectories(dataDir);

        Row pg = new Row("PostgreSQL + pgvector");
        try (PostgresIndex index = PostgresIndex.connect(jdbcUrl, null, null)) {
            if (!index.collections().isEmpty()) {
                throw new ParameterException(spec.commandLine(), "the database at " + jdbcUrl + " is not empty");
            }
            pg.ingestPerSecond = ingest(index, texts, vectors);
        }
        long rebuildStart = System.nanoTime();
        try (PostgresStore store = PostgresStore.open(jdbcUrl, null, null, dataDir.resolve("bm25-mirror"))) {
            pg.extra = String.format(Locale.ROOT, "BM25 mirror rebuilt from PostgreSQL in %.1f s",
                    (System.nanoTime() - rebuildStart) / 1e9);
            RetrievalModes modes = store.modes(corpus, FusionOptions.defaults());
            measure(pg, questions, modes, store.index().exactVectorRetriever(corpus));
        }

        Row lucene = new Row("Lucene (embedded)");
        try (LuceneIndex index = LuceneIndex.open(dataDir.resolve("lucene"))) {
            lucene.ingestPerSecond = ingest(index, texts, vectors);
            RetrievalModes modes = RetrievalModes.of(index.bm25Retriever(), index.vectorRetriever(corpus),
                    FusionOptions.defaults());
            measure(lucene, questions, modes, query -> exact(corpus.embedQuery(query.text()), vectors, query.k()));
        }

        out.printf(Locale.ROOT, "%d chunks of %d words in documents of %d, %d dimensions, %d queries, k=%d, "
                + "seed %d%n%n", chunks, WORDS_PER_CHUNK, chunksPerDocument, dimensions, queries, k, seed);
        out.println("| store | ingest chunks/s | HNSW p50 / p95 ms | exact p50 / p95 ms | HNSW recall@" + k
                + " | BM25 p50 / p95 ms | hybrid p50 / p95 ms |");
        out.println("|---|---|---|---|---|---|---|");
        for (Row row : List.of(pg, lucene)) {
            out.println(row);
        }
        out.println();
        out.println(pg.extra);
        out.flush();
        return 0;
    }

    private double ingest(DocumentIndex index, List<String> texts, List<float[]> vectors) {
        long start = System.nanoTime();
        for (int d = 0; d * chunksPerDocument < texts.size(); d++) {
            DocumentRef ref = DocumentRef.of("bench", "doc-" + d + ".txt");
            List<EmbeddedChunk> embedded = new ArrayList<>();
            for (int i = d * chunksPerDocument; i < Math.min(texts.size(), (d + 1) * chunksPerDocument); i++) {
                int ordinal = i - d * chunksPerDocument;
                Chunk chunk = new Chunk(chunkId(i), ref.documentId(), "bench", ref.source(), "Document " + d,
                        List.of(), null, 0, texts.get(i).length(), texts.get(i), List.of(), ordinal);
                embedded.add(new EmbeddedChunk(chunk, vectors.get(i)));
            }
            index.put(new IndexedDocument(ref.documentId(), "bench", ref.source(), "Document " + d, "text/plain",
                    "hash-" + d, embedded.size(), "synthetic-" + dimensions, List.of(), Instant.EPOCH), embedded);
        }
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** Chunk ids carry the corpus position, so the brute-force reference can name them without a lookup. */
    private String chunkId(int position) {
        DocumentRef ref = DocumentRef.of("bench", "doc-" + position / chunksPerDocument + ".txt");
        return ref.documentId() + "#" + position % chunksPerDocument;
    }

    private List<ScoredChunk> exact(float[] query, List<float[]> vectors, int n) {
        Integer[] order = new Integer[vectors.size()];
        double[] score = new double[vectors.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            float[] v = vectors.get(i);
            double dot = 0;
            for (int j = 0; j < v.length; j++) {
                dot += v[j] * query[j];
            }
            score[i] = dot;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        List<ScoredChunk> top = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            int i = order[r];
            Chunk stub = new Chunk(chunkId(i), "x", "bench", "x", "x", List.of(), null, 0, 1, "x", List.of(), 0);
            top.add(new ScoredChunk(stub, score[i], null, r + 1));
        }
        return top;
    }

    private void measure(Row row, List<String> questions, RetrievalModes modes, Retriever exact) {
        List<RetrievalQuery> warmUp = questions.subList(0, 20).stream()
                .map(q -> new RetrievalQuery(q, "bench", k)).toList();
        List<RetrievalQuery> measured = questions.subList(20, questions.size()).stream()
                .map(q -> new RetrievalQuery(q, "bench", k)).toList();
        for (Retriever r : List.of(modes.vector(), exact, modes.bm25(), modes.hybrid())) {
            warmUp.forEach(r::retrieve);
        }
        List<List<ScoredChunk>> approximate = new ArrayList<>();
        List<List<ScoredChunk>> reference = new ArrayList<>();
        row.hnsw = latencies(measured, q -> approximate.add(modes.vector().retrieve(q)));
        row.exact = latencies(measured, q -> reference.add(exact.retrieve(q)));
        row.bm25 = latencies(measured, q -> modes.bm25().retrieve(q));
        row.hybrid = latencies(measured, q -> modes.hybrid().retrieve(q));
        double recall = 0;
        for (int i = 0; i < measured.size(); i++) {
            Set<String> truth = new HashSet<>();
            reference.get(i).forEach(h -> truth.add(h.chunk().id()));
            recall += approximate.get(i).stream().filter(h -> truth.contains(h.chunk().id())).count()
                    / (double) Math.max(1, truth.size());
        }
        row.recall = recall / measured.size();
    }

    private static double[] latencies(List<RetrievalQuery> queries, Function<RetrievalQuery, ?> run) {
        double[] millis = new double[queries.size()];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            run.apply(queries.get(i));
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return new double[] {percentile(millis, 0.50), percentile(millis, 0.95)};
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static final class Row {
        final String store;
        double ingestPerSecond;
        double[] hnsw;
        double[] exact;
        double[] bm25;
        double[] hybrid;
        double recall;
        String extra;

        Row(String store) {
            this.store = store;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "| %s | %.0f | %.1f / %.1f | %.1f / %.1f | %.3f | %.1f / %.1f | %.1f / %.1f |",
                    store, ingestPerSecond, hnsw[0], hnsw[1], exact[0], exact[1], recall, bm25[0], bm25[1],
                    hybrid[0], hybrid[1]);
        }
    }
}
