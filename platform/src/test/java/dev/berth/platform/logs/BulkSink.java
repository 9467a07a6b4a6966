package dev.berth.platform.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Elasticsearch's index-template and {@code _bulk} endpoints as far as the shipper uses them, over real HTTP: every
 * item is answered 201 and recorded in arrival order. It stands in for Elasticsearch in unit tests, where none runs
 * (LogShippingIT ships to a real one); the shipper, its client, files and checkpoints are the real ones. Thread-safe.
 */
final class BulkSink implements AutoCloseable {

    /** One document as it arrived: its id, the offset of its line, and its {@code event.sequence} (-1 if none). */
    record Item(String id, long offset, long sequence) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Item> received = new ArrayList<>();

    private BulkSink(HttpServer server) {
        this.server = server;
    }

    static BulkSink start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        BulkSink sink = new BulkSink(server);
        server.createContext("/", sink::handle);
        server.start();
        return sink;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized List<Item> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        byte[] body = ex.getRequestBody().readAllBytes();
        if (path.startsWith("/_index_template/")) {
            reply(ex, 200, JSON.createObjectNode().put("acknowledged", true));
        } else if (path.equals("/_bulk")) {
            reply(ex, 200, bulk(new String(body, StandardCharsets.UTF_8)));
        } else {
            reply(ex, 404, JSON.createObjectNode().put("error", "not part of the sink: " + ex.getRequestMethod() + " " + path));
        }
    }

    private ObjectNode bulk(String ndjson) throws IOException {
        ObjectNode answer = JSON.createObjectNode().put("took", 1).put("errors", false);
        ArrayNode items = answer.putArray("items");
        List<Item> batch = new ArrayList<>();
        String[] lines = ndjson.split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            JsonNode action = JSON.readTree(lines[i]);
            String op = action.fieldNames().next();
            JsonNode meta = action.get(op);
            JsonNode doc = JSON.readTree(lines[i + 1]);
            batch.add(new Item(meta.path("_id").asText(), doc.path("log.offset").asLong(), doc.path("event.sequence").asLong(-1)));
            items.addObject().putObject(op).put("_index", meta.path("_index").asText()).put("_id", meta.path("_id").asText()).put("status", 201);
        }
        synchronized (this) {
            received.addAll(batch);
        }
        return answer;
    }

    private static void reply(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch"); // the client refuses answers without it
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
