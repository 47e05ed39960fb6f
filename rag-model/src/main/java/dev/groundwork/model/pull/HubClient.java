package dev.groundwork.model.pull;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The few Hugging Face hub endpoints a model download needs: the file listing of a repository revision and the
 * {@code resolve} URL of each file.
 *
 * <p>Redirects (the hub sends large files to a CDN) are followed here rather than by {@link HttpClient}, so that the
 * {@code Authorization} header ({@code HF_TOKEN}) is only ever sent to the hub's own host. A machine without network
 * gets a {@link HubUnreachableException}. Thread-safe.
 */
final class HubClient {

    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");
    private static final int MAX_REDIRECTS = 10;

    /** A file of the repository and, when the listing gives it, its size (-1 otherwise). */
    record RepoFile(String name, long size) {
    }

    private final HttpClient http;
    private final URI endpoint;
    private final String token;

    /**
     * @param token a Hugging Face access token, or {@code null}
     */
    HubClient(HttpClient http, URI endpoint, String token) {
        this.http = Objects.requireNonNull(http, "http");
        String base = endpoint.toString();
        this.endpoint = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER) // see the class comment
                .connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    static void checkRepo(String repo) {
        if (repo == null || !REPO.matcher(repo).matches() || repo.contains("..")) {
            throw new IllegalArgumentException("not a repository id (owner/name): " + repo);
        }
    }

    /** Files of {@code repo} at {@code revision}, from {@code GET /api/models/{repo}/revision/{revision}}. */
    List<RepoFile> list(String repo, String revision) throws IOException {
        checkRepo(repo);
        URI uri = URI.create(endpoint + "/api/models/" + repo + "/revision/" + segment(revision));
        HttpResponse<InputStream> response = send(uri, Map.of(), "GET");
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int status = response.statusCode();
        if (status != 200) {
            throw statusError(status, repo + " at revision " + revision, uri);
        }
        try {
            JsonElement siblings = JsonParser.parseString(body).getAsJsonObject().get("siblings");
            if (siblings == null || !siblings.isJsonArray()) {
                throw new IOException("the listing of " + repo + " from " + uri + " has no siblings");
            }
            List<RepoFile> files = new ArrayList<>();
            for (JsonElement sibling : (JsonArray) siblings) {
                JsonObject o = sibling.getAsJsonObject();
                long size = o.has("size") && o.get("size").isJsonPrimitive() ? o.get("size").getAsLong() : -1;
                files.add(new RepoFile(safeName(o.get("rfilename").getAsString()), size));
            }
            return files;
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new IOException("the listing of " + repo + " from " + uri + " is not what the hub returns: "
                    + e.getMessage(), e);
        }
    }

    /** {@code GET} or {@code HEAD} of a file's resolve URL, redirects followed. */
    HttpResponse<InputStream> file(String repo, String revision, String file, Map<String, String> headers, String method)
            throws IOException {
        checkRepo(repo);
        StringBuilder path = new StringBuilder();
        for (String part : file.split("/")) {
            path.append('/').append(segment(part));
        }
        return send(URI.create(endpoint + "/" + repo + "/resolve/" + segment(revision) + path), headers, method);
    }

    URI endpoint() {
        return endpoint;
    }

    private HttpResponse<InputStream> send(URI uri, Map<String, String> headers, String method) throws IOException {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(Duration.ofMinutes(5))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header("User-Agent", "groundwork-model-pull");
            headers.forEach(request::header);
            if (token != null && sameHost(current, endpoint)) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (ConnectException | UnknownHostException | HttpConnectTimeoutException e) {
                throw new HubUnreachableException(hostOf(current), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while contacting " + hostOf(current), e);
            }
            int status = response.statusCode();
            if (status >= 300 && status < 400 && status != 304) {
                String location = response.headers().firstValue("Location").orElseThrow(() ->
                        new IOException("redirect without Location from " + uri));
                response.body().close();
                current = current.resolve(location);
                continue;
            }
            return response;
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + uri);
    }

    static IOException statusError(int status, String what, URI uri) {
        return switch (status) {
            case 401, 403 -> new IOException("access to " + what + " denied (HTTP " + status
                    + "): a gated or private repository needs an access token in HF_TOKEN");
            case 404 -> new IOException("not found on the hub: " + what + " (" + uri + ")");
            default -> new IOException("the hub answered HTTP " + status + " for " + what + " (" + uri + ")");
        };
    }

    /** A listed name must stay inside the target folder. */
    private static String safeName(String name) throws IOException {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")) {
            throw new IOException("refusing a file name from the hub: " + name);
        }
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IOException("refusing a file name from the hub: " + name);
            }
        }
        return name;
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean sameHost(URI a, URI b) {
        return Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
    }

    private static String hostOf(URI uri) {
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }
}
