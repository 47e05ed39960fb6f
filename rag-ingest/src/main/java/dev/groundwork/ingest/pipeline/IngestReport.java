package dev.groundwork.ingest.pipeline;

import java.time.Duration;
import java.util.List;

/** The outcome of an ingestion run: one entry per file seen or deleted, in source order. */
public record IngestReport(String collection, List<FileOutcome> outcomes, Duration elapsed) {

    public IngestReport {
        outcomes = List.copyOf(outcomes);
    }

    public long count(FileOutcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    public List<FileOutcome> failures() {
        return outcomes.stream().filter(o -> o.status() == FileOutcome.Status.FAILED).toList();
    }

    /** Whether every file was ingested (or skipped as unchanged, or deleted) without error. */
    public boolean succeeded() {
        return failures().isEmpty();
    }
}
