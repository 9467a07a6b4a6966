package dev.berth.platform.apiserver.openapi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.platform.apiserver.discovery.DiscoveryDocuments;
import dev.berth.platform.apiserver.discovery.ServedDocument;
import dev.berth.platform.apiserver.discovery.ServedResource;
import dev.berth.platform.apiserver.discovery.ServerVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A test-only HTTP server in front of the documents, routed as the core will route them: GETs under
 * {@code /openapi/v3} to {@link OpenApiDocuments}, other GETs to {@link DiscoveryDocuments}, and anything they do
 * not answer is a 404 Status, recorded so that tests can see what clients tried next.
 */
final class DocumentServer implements AutoCloseable {

    private static final byte[] NOT_FOUND = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
            + "\"status\":\"Failure\",\"message\":\"the server could not find the requested resource\","
            + "\"reason\":\"NotFound\",\"details\":{},\"code\":404}").getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final DiscoveryDocuments discovery;
    private final OpenApiDocuments openApi;
    /** Requests the documents did not answer: {@code METHOD path?query}. */
    final List<String> unanswered = new CopyOnWriteArrayList<>();
    /** Documents served: {@code path -> status content-type}. */
    final List<String> served = new CopyOnWriteArrayList<>();
    /** When set, the server ignores the client's Accept, as a server without aggregated discovery would. */
    volatile boolean legacyDiscoveryOnly;

    DocumentServer(List<ServedResource> resources) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.discovery = new DiscoveryDocuments(resources, "127.0.0.1:" + port(), ServerVersion.info("test"));
        this.openApi = new OpenApiDocuments(resources, FieldExtensions.NONE, Clock.systemUTC());
        server.createContext("/", this::answer);
        server.setExecutor(executor);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void answer(HttpExchange exchange) {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            String accept = legacyDiscoveryOnly ? "application/json" : exchange.getRequestHeaders().getFirst("Accept");
            String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
            Optional<ServedDocument> document = !exchange.getRequestMethod().equals("GET") ? Optional.empty()
                    : path.startsWith(OpenApiDocuments.ROOT)
                            ? openApi.serve(path, queryParameters(query).get("hash"), accept, ifNoneMatch)
                            : discovery.serve(path, accept, ifNoneMatch);
            if (document.isEmpty()) {
                unanswered.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(404, NOT_FOUND.length);
                exchange.getResponseBody().write(NOT_FOUND);
                return;
            }
            ServedDocument d = document.get();
            served.add(path + " -> " + d.status() + " " + d.contentType());
            d.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(d.status(), d.body().length == 0 ? -1 : d.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(d.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> queryParameters(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return params;
    }
}
