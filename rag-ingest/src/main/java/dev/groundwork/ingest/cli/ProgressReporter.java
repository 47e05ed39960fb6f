package dev.groundwork.ingest.cli;

import dev.groundwork.ingest.pipeline.FileOutcome;
import dev.groundwork.ingest.pipeline.IngestListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Draws ingestion progress: files done/total, chunks, chunks per second and the estimated time left. On a
 * terminal one line is redrawn in place; otherwise (a log, a pipe) a line is printed every few seconds and at
 * the end, so logs stay readable. Used from the ingesting thread only; not thread-safe.
 */
final class ProgressReporter implements IngestListener {

    static final long LOG_INTERVAL_NANOS = 5_000_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private int total;
    private long startNanos;
    private long lastPrintNanos;

    ProgressReporter(PrintWriter out, boolean terminal, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
    }

    @Override
    public void started(int files) {
        total = files;
        startNanos = nanoTime.getAsLong();
        lastPrintNanos = startNanos;
    }

    @Override
    public void fileDone(FileOutcome outcome, int filesDone, long chunksSoFar) {
        long now = nanoTime.getAsLong();
        boolean last = filesDone >= total;
        String line = line(filesDone, chunksSoFar, now - startNanos);
        if (terminal) {
            out.print("\r" + line + (last ? System.lineSeparator() : ""));
            out.flush();
        } else if (last || now - lastPrintNanos >= LOG_INTERVAL_NANOS) {
            out.println(line);
            out.flush();
            lastPrintNanos = now;
        }
    }

    String line(int filesDone, long chunks, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        int filled = total == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * filesDone / total);
        String bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
        double rate = seconds > 0 ? chunks / seconds : 0;
        String eta = filesDone == 0 ? "?" : duration(seconds / filesDone * (total - filesDone));
        return String.format(Locale.ROOT, "[%s] %d/%d files, %d chunks, %.1f chunks/s, ETA %s",
                bar, filesDone, total, chunks, rate, eta);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
