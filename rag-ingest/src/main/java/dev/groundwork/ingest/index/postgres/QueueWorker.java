package dev.groundwork.ingest.index.postgres;

import dev.groundwork.ingest.chunk.DocumentRef;
import dev.groundwork.ingest.pipeline.FileOutcome;
import dev.groundwork.ingest.pipeline.Ingester;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One ingest worker: claims files from the {@link IngestQueue} until none is pending and ingests each in its own
 * transaction. Run as many as wanted, in one process or many. Not thread-safe itself: one per thread.
 */
public final class QueueWorker {

    private final IngestQueue queue;
    private final Ingester ingester;
    private final String name;

    public QueueWorker(IngestQueue queue, Ingester ingester, String name) {
        this.queue = queue;
        this.ingester = ingester;
        this.name = name;
    }

    /**
     * Processes pending files until the queue has none.
     *
     * @param onOutcome told about every file processed
     * @return the number of files processed
     */
    public int drain(Consumer<FileOutcome> onOutcome) {
        int processed = 0;
        for (Optional<IngestQueue.Job> job = queue.claim(name); job.isPresent(); job = queue.claim(name)) {
            IngestQueue.Job j = job.get();
            FileOutcome outcome;
            try (InputStream in = Files.newInputStream(j.path())) {
                outcome = ingester.ingestFile(j.collection(), j.source(), in);
            } catch (IOException e) {
                outcome = new FileOutcome(j.source(), DocumentRef.idFor(j.collection(), j.source()),
                        FileOutcome.Status.FAILED, 0,
                        "cannot read " + j.path() + ": " + e.getMessage());
            }
            queue.finish(j, outcome.status().name(),
                    outcome.status() == FileOutcome.Status.FAILED ? outcome.reason() : null);
            onOutcome.accept(outcome);
            processed++;
        }
        return processed;
    }
}
