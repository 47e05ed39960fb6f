package dev.groundwork.model.pull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a model repository from the Hugging Face hub into a folder, for users with internet (the product itself
 * never downloads: models are copied or pulled beforehand).
 *
 * <p>Resumable: each file is written to {@code NAME.part} and renamed when complete; a later pull continues a
 * {@code .part} file with an HTTP {@code Range} request, and skips files already complete (same size as the hub's).
 * Nothing half-written ever carries a file's real name. A machine without network gets a
 * {@link HubUnreachableException} with a message saying so. Not thread-safe: one pull at a time per instance.
 */
public final class HubDownloader {

    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    private static final Pattern CONTENT_RANGE_TOTAL = Pattern.compile("bytes \\d+-\\d+/(\\d+)");

    private final HubClient hub;

    /**
     * @param token a Hugging Face access token (sent as a Bearer token to the hub's host only), or {@code null}
     */
    public HubDownloader(URI endpoint, String token) {
        this(HubClient.defaultHttpClient(), endpoint, token);
    }

    HubDownloader(HttpClient http, URI endpoint, String token) {
        this.hub = new HubClient(http, endpoint, token);
    }

    /**
     * Downloads every file of {@code repo} at {@code revision} into {@code dir} (created if needed).
     *
     * @throws HubUnreachableException if the hub cannot be reached
     * @throws IOException on an HTTP error (the message names the file and status) or a local write failure
     */
    public PullReport pull(String repo, String revision, Path dir, PullListener listener) throws IOException {
        List<HubClient.RepoFile> files = hub.list(repo, revision);
        listener.listed(repo, files.size());
        Files.createDirectories(dir);
        List<String> downloaded = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        long transferred = 0;
        for (HubClient.RepoFile file : files) {
            Path target = dir.resolve(file.name()).normalize();
            if (!target.startsWith(dir.normalize())) {
                throw new IOException("refusing to write " + file.name() + " outside " + dir);
            }
            if (Files.isRegularFile(target)) {
                long expected = file.size() >= 0 ? file.size() : remoteSize(repo, revision, file.name());
                if (expected == Files.size(target)) {
                    skipped.add(file.name());
                    listener.skipped(file.name(), expected);
                    continue;
                }
            }
            transferred += download(repo, revision, file.name(), target, listener);
            downloaded.add(file.name());
        }
        return new PullReport(downloaded, skipped, transferred);
    }

    /** Fetches one file into {@code target} through {@code target.part}; returns the bytes received. */
    private long download(String repo, String revision, String name, Path target, PullListener listener)
            throws IOException {
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        Map<String, String> headers = have > 0 ? Map.of("Range", "bytes=" + have + "-") : Map.of();
        HttpResponse<InputStream> response = hub.file(repo, revision, name, headers, "GET");
        int status = response.statusCode();
        long total;
        boolean append;
        if (status == 206) {
            append = true;
            total = totalFromContentRange(response).orElse(-1);
        } else if (status == 200) {
            append = false; // the server ignored the range: start over
            have = 0;
            total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        } else if (status == 416 && have > 0) {
            // Nothing left after what we have: the part is complete.
            response.body().close();
            finish(part, target, name, have, listener);
            return 0;
        } else {
            response.body().close();
            throw HubClient.statusError(status, name + " of " + repo, URI.create(hub.endpoint() + "/" + repo));
        }
        long received = 0;
        long done = have;
        try (InputStream in = response.body();
                OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            listener.progress(name, done, total);
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                received += n;
                done += n;
                listener.progress(name, done, total);
            }
        }
        if (total >= 0 && done != total) {
            throw new IOException("download of " + name + " stopped at " + done + " of " + total
                    + " bytes; run the pull again to resume");
        }
        finish(part, target, name, done, listener);
        return received;
    }

    private static void finish(Path part, Path target, String name, long size, PullListener listener)
            throws IOException {
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        listener.completed(name, size);
    }

    private long remoteSize(String repo, String revision, String name) throws IOException {
        HttpResponse<InputStream> head = hub.file(repo, revision, name, Map.of(), "HEAD");
        head.body().close();
        if (head.statusCode() != 200) {
            throw HubClient.statusError(head.statusCode(), name + " of " + repo, hub.endpoint());
        }
        return head.headers().firstValueAsLong("Content-Length").orElse(-1);
    }

    private static OptionalLong totalFromContentRange(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Range")
                .map(CONTENT_RANGE_TOTAL::matcher)
                .filter(Matcher::matches)
                .map(m -> OptionalLong.of(Long.parseLong(m.group(1))))
                .orElse(OptionalLong.empty());
    }
}
