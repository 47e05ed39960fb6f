package dev.groundwork.ingest.bench;

import dev.groundwork.ingest.chunk.ChunkingOptions;
import dev.groundwork.ingest.cli.IngestComponents;
import dev.groundwork.ingest.index.lucene.LuceneIndex;
import dev.groundwork.ingest.pipeline.IngestListener;
import dev.groundwork.ingest.pipeline.IngestReport;
import dev.groundwork.ingest.pipeline.Ingester;
import dev.groundwork.ingest.retrieve.FusionOptions;
import dev.groundwork.ingest.retrieve.HybridRetriever;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.model.embed.Embedder;
import dev.groundwork.model.embed.OnnxRuntimeBaseline;
import dev.groundwork.model.tokenize.TokenCounter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rag-ingest bench CORPUS}: ingests a corpus into a fresh embedded index and prints files/s, chunks/s,
 * embedding throughput beside raw ONNX Runtime on the same passages, index size, and search latency p50/p95
 * for BM25, vector and hybrid retrieval. Every number in docs/benchmarks.md comes from this command.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark ingestion and search on a corpus folder (fresh index in --data-dir).")
public final class IngestBenchmark implements Callable<Integer> {

    @Parameters(index = "0", description = "Corpus folder, e.g. /usr/share/doc/python3.11/html/_sources")
    Path corpus;

    @Option(names = "--data-dir", required = true, description = "Where the benchmark index is written (must be empty or absent).")
    Path dataDir;

    @Option(names = "--queries", defaultValue = "200", description = "Number of search queries per mode.")
    int queries;

    @Option(names = "--sample", defaultValue = "512", description = "Passages replayed on raw ONNX Runtime.")
    int sampleSize;

    @Option(names = "--batch", defaultValue = "32", description = "Embedding batch size of the raw ONNX Runtime replay.")
    int batchSize;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for the passage and query samples.")
    long seed;

    private final IngestComponents components;
    private final PrintStream out;

    public IngestBenchmark(IngestComponents components) {
        this(components, System.out);
    }

    IngestBenchmark(IngestComponents components, PrintStream out) {
        this.components = components;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(dataDir) && Files.list(dataDir).findAny().isPresent()) {
            throw new IllegalArgumentException("--data-dir " + dataDir + " is not empty; the benchmark needs a fresh index");
        }
        try (MeasuredEmbedder embedder = new MeasuredEmbedder(components.embedder(null), sampleSize, seed);
                LuceneIndex index = LuceneIndex.open(dataDir)) {
            TokenCounter tokens = embedder.tokenCounter();
            Ingester ingester = new Ingester(components.parser(),
                    components.chunker(tokens, ChunkingOptions.defaults()), embedder, index);

            long start = System.nanoTime();
            IngestReport report = ingester.ingestDirectory(corpus, "bench", IngestListener.NONE);
            double ingestSeconds = (System.nanoTime() - start) / 1e9;
            long chunks = report.outcomes().stream().mapToLong(o -> o.chunks()).sum();
            double embedSeconds = embedder.nanos() / 1e9;

            out.printf("corpus            %s%n", corpus);
            out.printf("files             %d (failed %d)%n", report.outcomes().size(), report.failures().size());
            out.printf("chunks            %d%n", chunks);
            out.printf("ingest wall       %.1f s: %.2f files/s, %.1f chunks/s%n", ingestSeconds,
                    report.outcomes().size() / ingestSeconds, chunks / ingestSeconds);
            out.printf("embedding         %.1f s (%.0f%% of ingest): %.1f passages/s%n", embedSeconds,
                    100 * embedSeconds / ingestSeconds, embedder.texts() / embedSeconds);

            compareWithOnnxRuntime(embedder, tokens);
            out.printf("index size        %.1f MiB%n", sizeOf(dataDir) / (1024.0 * 1024));

            List<String> querySample = sampleQueries(embedder.sample(), queries);
            Map<String, Retriever> modes = new LinkedHashMap<>();
            modes.put("bm25", index.bm25Retriever());
            modes.put("vector", index.vectorRetriever(embedder));
            modes.put("hybrid", new HybridRetriever(index.bm25Retriever(), index.vectorRetriever(embedder),
                    FusionOptions.defaults()));
            out.printf("search latency    %d queries per mode, k=10, after 20 warm-up queries%n", querySample.size());
            for (Map.Entry<String, Retriever> mode : modes.entrySet()) {
                double[] latencies = measure(mode.getValue(), querySample);
                out.printf("  %-7s         p50 %.2f ms, p95 %.2f ms%n", mode.getKey(), percentile(latencies, 0.5),
                        percentile(latencies, 0.95));
            }
        }
        return 0;
    }

    /** Replays the sampled passages on both runtimes, twice each, alternating, and keeps each one's best run. */
    private void compareWithOnnxRuntime(Embedder ours, TokenCounter tokens) {
        List<String> sample = ((MeasuredEmbedder) ours).sample();
        if (sample.isEmpty()) {
            return;
        }
        long sampleTokens = sample.stream().mapToLong(tokens::countTokens).sum();
        try (OnnxRuntimeBaseline baseline = OnnxRuntimeBaseline.allMiniLmL6V2()) {
            double bestOurs = Double.MAX_VALUE;
            double bestRaw = Double.MAX_VALUE;
            List<float[]> oursVectors = null;
            List<float[]> rawVectors = null;
            for (int round = 0; round < 2; round++) {
                long t0 = System.nanoTime();
                oursVectors = ours.embedAll(sample);
                bestOurs = Math.min(bestOurs, (System.nanoTime() - t0) / 1e9);
                long t1 = System.nanoTime();
                rawVectors = baseline.embedAll(sample, batchSize);
                bestRaw = Math.min(bestRaw, (System.nanoTime() - t1) / 1e9);
            }
            double worstCosine = 1;
            for (int i = 0; i < sample.size(); i++) {
                worstCosine = Math.min(worstCosine, dot(oursVectors.get(i), rawVectors.get(i)));
            }
            out.printf("embedding replay  %d passages, %d tokens (%.0f per passage)%n", sample.size(), sampleTokens,
                    (double) sampleTokens / sample.size());
            out.printf("  groundwork      %.0f tokens/s, %.1f passages/s%n", sampleTokens / bestOurs, sample.size() / bestOurs);
            out.printf("  onnxruntime     %.0f tokens/s, %.1f passages/s (raw Java API, batch %d)%n",
                    sampleTokens / bestRaw, sample.size() / bestRaw, batchSize);
            out.printf("  ratio           %.2f of raw ONNX Runtime; lowest cosine between the two: %.6f%n",
                    bestRaw / bestOurs, worstCosine);
        }
    }

    private List<String> sampleQueries(List<String> passages, int count) {
        // A query is the first few words of a random passage: a user's phrasing is shorter than the passage.
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count && !passages.isEmpty(); i++) {
            String[] words = passages.get(random.nextInt(passages.size())).strip().split("\\s+");
            out.add(String.join(" ", Arrays.copyOfRange(words, 0, Math.min(words.length, 4 + random.nextInt(8)))));
        }
        return out;
    }

    private static double[] measure(Retriever retriever, List<String> queries) {
        for (int i = 0; i < Math.min(20, queries.size()); i++) {
            retriever.retrieve(new RetrievalQuery(queries.get(i), "bench", 10));
        }
        double[] latencies = new double[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            long t0 = System.nanoTime();
            retriever.retrieve(new RetrievalQuery(queries.get(i), "bench", 10));
            latencies[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted.length == 0 ? 0 : sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
