package dev.groundwork.model.cli;

import dev.groundwork.model.pull.HubDownloader;
import dev.groundwork.model.pull.PullListener;
import dev.groundwork.model.pull.PullReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pull REPO --dir DIR}: downloads a model repository from the Hugging Face hub, resumably. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Downloads a model repository (e.g. Qwen/Qwen2.5-0.5B-Instruct) from the Hugging Face hub into "
                + "a folder. Interrupted downloads resume; complete files are skipped. HF_TOKEN is used if set.")
final class PullCommand implements Callable<Integer> {

    private final BiFunction<URI, String, HubDownloader> downloaders;
    private final Function<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REPO", description = "repository id, owner/name")
    private String repo;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "target folder")
    private Path dir;

    @Option(names = "--revision", defaultValue = "main", description = "branch, tag or commit (default ${DEFAULT-VALUE})")
    private String revision;

    @Option(names = "--endpoint", defaultValue = "https://huggingface.co",
            description = "hub address (default ${DEFAULT-VALUE})")
    private URI endpoint;

    PullCommand(BiFunction<URI, String, HubDownloader> downloaders, Function<String, String> environment) {
        this.downloaders = downloaders;
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException {
        if (!repo.matches("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?") || repo.contains("..")) {
            throw new ParameterException(spec.commandLine(), "REPO must be a repository id like owner/name: " + repo);
        }
        if (endpoint.getScheme() == null || !endpoint.getScheme().startsWith("http") || endpoint.getHost() == null) {
            throw new ParameterException(spec.commandLine(), "--endpoint must be an http(s) address: " + endpoint);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HubDownloader downloader = downloaders.apply(endpoint, environment.apply("HF_TOKEN"));
        PullReport report = downloader.pull(repo, revision, dir, new Progress(err));
        out.printf(Locale.ROOT, "%s: %d files downloaded, %d already complete, %.1f MB received, in %s%n", repo,
                report.downloaded().size(), report.skipped().size(), report.bytesTransferred() / 1e6, dir);
        out.flush();
        return 0;
    }

    /** One line per file, with a percentage updated in place while it downloads. */
    private static final class Progress implements PullListener {

        private final PrintWriter err;
        private String file;
        private long lastPercent = -1;

        Progress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void listed(String repo, int files) {
            err.println(repo + ": " + files + " files");
            err.flush();
        }

        @Override
        public void skipped(String name, long size) {
            err.printf(Locale.ROOT, "  %s: complete (%.1f MB), skipped%n", name, size / 1e6);
            err.flush();
        }

        @Override
        public void progress(String name, long done, long total) {
            long percent = total > 0 ? done * 100 / total : -1;
            if (!name.equals(file) || percent != lastPercent) {
                file = name;
                lastPercent = percent;
                err.printf(Locale.ROOT, "\r  %s: %s", name, total > 0
                        ? String.format(Locale.ROOT, "%d%% of %.1f MB", percent, total / 1e6)
                        : String.format(Locale.ROOT, "%.1f MB", done / 1e6));
                err.flush();
            }
        }

        @Override
        public void completed(String name, long size) {
            err.printf(Locale.ROOT, "\r  %s: done (%.1f MB)%n", name, size / 1e6);
            err.flush();
            file = null;
        }
    }
}
