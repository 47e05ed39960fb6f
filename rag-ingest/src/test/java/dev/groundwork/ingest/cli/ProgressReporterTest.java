package dev.groundwork.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.ingest.pipeline.FileOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    private final long[] now = {0};
    private final StringWriter text = new StringWriter();

    private static FileOutcome ok() {
        return new FileOutcome("a.txt", "id", FileOutcome.Status.ADDED, 1, null);
    }

    @Test
    void formatsFilesChunksRateAndEta() {
        ProgressReporter reporter = new ProgressReporter(new PrintWriter(text), false, () -> now[0]);
        reporter.started(4);
        // 1 of 4 files after 10 s: 30 more seconds expected; 25 chunks in 10 s
        assertThat(reporter.line(1, 25, 10_000_000_000L))
                .isEqualTo("[######------------------] 1/4 files, 25 chunks, 2.5 chunks/s, ETA 0:30");
    }

    @Test
    void withoutATerminalPrintsOnlyEveryFewSecondsAndAtTheEnd() {
        ProgressReporter reporter = new ProgressReporter(new PrintWriter(text), false, () -> now[0]);
        reporter.started(3);
        now[0] = 1_000_000_000L;
        reporter.fileDone(ok(), 1, 1);
        now[0] = ProgressReporter.LOG_INTERVAL_NANOS + 2_000_000_000L;
        reporter.fileDone(ok(), 2, 2);
        now[0] += 1_000_000_000L;
        reporter.fileDone(ok(), 3, 3);

        assertThat(text.toString().lines()).hasSize(2);
        assertThat(text.toString()).contains("2/3 files").contains("3/3 files").doesNotContain("1/3").doesNotContain("\r");
    }

    @Test
    void onATerminalRedrawsInPlace() {
        ProgressReporter reporter = new ProgressReporter(new PrintWriter(text), true, () -> now[0]);
        reporter.started(2);
        reporter.fileDone(ok(), 1, 1);
        reporter.fileDone(ok(), 2, 2);
        assertThat(text.toString()).startsWith("\r[").contains("\r[########################] 2/2 files")
                .endsWith(System.lineSeparator());
    }
}
