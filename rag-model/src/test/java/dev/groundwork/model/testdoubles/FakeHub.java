package dev.groundwork.model.testdoubles;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face hub on 127.0.0.1 serving one repository, {@code acme/tiny} at revision {@code main}: the listing
 * API, the resolve URLs (one of them redirecting to a "CDN" path on {@code localhost}, another host name for the
 * same server) and Range requests. Records every request with its Range and Authorization headers.
 */
public final class FakeHub implements AutoCloseable {

    public record Request(String method, String host, String path, String range, String authorization) {
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final Map<String, byte[]> files;
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Listing JSON override (null: built from the files). */
    public volatile String listing;

    public FakeHub(Map<String, byte[]> files) throws IOException {
        this.files = new ConcurrentHashMap<>(files);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            requests.add(new Request(method, exchange.getRequestHeaders().getFirst("Host"), path,
                    exchange.getRequestHeaders().getFirst("Range"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            if (path.equals("/api/models/acme/tiny/revision/main")) {
                byte[] body = (listing != null ? listing : defaultListing()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            String prefix = "/acme/tiny/resolve/main/";
            if (path.startsWith(prefix) && path.endsWith(".safetensors")) {
                // Large files live on the CDN, under another host name.
                exchange.getResponseHeaders().add("Location",
                        "http://localhost:" + server.getAddress().getPort() + "/cdn/" + path.substring(prefix.length()));
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            String name = path.startsWith(prefix) ? path.substring(prefix.length())
                    : path.startsWith("/cdn/") ? path.substring("/cdn/".length()) : null;
            byte[] content = name == null ? null : files.get(name);
            if (content == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            serve(exchange, method, content);
        }
    }

    private static void serve(HttpExchange exchange, String method, byte[] content) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        int from = 0;
        if (range != null) {
            Matcher m = RANGE.matcher(range);
            if (!m.matches()) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            from = Integer.parseInt(m.group(1));
            if (from >= content.length) {
                exchange.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        int length = content.length - from;
        if (method.equals("HEAD")) {
            exchange.getResponseHeaders().add("Content-Length", Integer.toString(length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(range != null ? 206 : 200, length == 0 ? -1 : length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(content, from, length);
        }
    }

    private String defaultListing() {
        StringBuilder json = new StringBuilder("{\"id\":\"acme/tiny\",\"sha\":\"abc\",\"siblings\":[");
        String sep = "";
        for (String name : files.keySet().stream().sorted().toList()) {
            json.append(sep).append("{\"rfilename\":\"").append(name).append("\"}");
            sep = ",";
        }
        return json.append("]}").toString();
    }

    public long count(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
