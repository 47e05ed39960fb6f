package dev.groundwork.ingest.cli;

import dev.groundwork.ingest.chunk.ChunkingOptions;
import dev.groundwork.ingest.index.postgres.IngestQueue;
import dev.groundwork.ingest.index.postgres.PostgresIndex;
import dev.groundwork.ingest.index.postgres.QueueWorker;
import dev.groundwork.ingest.pipeline.FileOutcome;
import dev.groundwork.ingest.pipeline.Ingester;
import dev.groundwork.model.embed.Embedder;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code work --jdbc-url URL [--threads N]}: an ingest worker process that drains the PostgreSQL queue filled by
 * {@code enqueue}. Any number may run at once, on any machines that see the files; none processes a file another
 * holds. Exit 0 when every file it processed succeeded, 1 otherwise.
 */
@Command(name = "work", mixinStandardHelpOptions = true,
        description = "Ingests queued files until the PostgreSQL queue is empty; run several at once to scale out.")
final class WorkCommand implements Callable<Integer> {

    private final IngestComponents components;

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = false, multiplicity = "1")
    private StoreOptions.Postgres postgres;

    @Option(names = "--threads", defaultValue = "1", description = "workers in this process (default ${DEFAULT-VALUE})")
    private int threads;

    @Option(names = "--requeue-after", defaultValue = "600", paramLabel = "SECONDS",
            description = "put back claims older than this, left by killed workers (default ${DEFAULT-VALUE})")
    private long requeueAfterSeconds;

    @Mixin
    private PipelineOptions pipeline;

    WorkCommand(IngestComponents components) {
        this.components = components;
    }

    @Override
    public Integer call() throws InterruptedException, ExecutionException {
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1");
        }
        ChunkingOptions options = pipeline.chunking(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        String process = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        ConcurrentLinkedQueue<FileOutcome> outcomes = new ConcurrentLinkedQueue<>();
        try (Embedder embedder = pipeline.embedder(components); PostgresIndex index = StoreOptions.connect(postgres)) {
            pipeline.checkWindow(embedder, spec.commandLine());
            IngestQueue queue = new IngestQueue(index);
            int requeued = queue.requeueStale(Duration.ofSeconds(requeueAfterSeconds));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Integer>> running = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Ingester ingester = new Ingester(components.parser(),
                            components.chunker(embedder.tokenCounter(), options), embedder, index);
                    QueueWorker worker = new QueueWorker(queue, ingester, process + "#" + t);
                    running.add(pool.submit(() -> worker.drain(outcomes::add)));
                }
                for (Future<Integer> f : running) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            long failed = outcomes.stream().filter(o -> o.status() == FileOutcome.Status.FAILED).count();
            out.printf("worker %s: %d files processed (%d requeued from dead workers), %d failed; queue %s%n",
                    process, outcomes.size(), requeued, failed, queue.counts());
            outcomes.stream().filter(o -> o.status() == FileOutcome.Status.FAILED)
                    .forEach(o -> out.println("  " + o.source() + ": " + o.reason()));
            out.flush();
            return failed == 0 ? 0 : 1;
        }
    }
}
