package dev.berth.platform.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.platform.observability.KibanaObjects;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * observability/elasticsearch and observability/kibana against a real Elasticsearch 8.19: the index template is
 * accepted; log documents shaped like the shipper's (real lines of both services, see src/test/resources/logs, plus
 * the shipper's metadata from the agreed document shape) get the intended types; every field a Kibana saved object
 * references exists in the live mapping; and each saved search finds what it promises — one query on trace.id finds
 * a request in order-service and in payment-service. The node keeps what it acknowledged across a stop and restart.
 * <p>
 * The fixtures are lines the services wrote, except the ERROR line: the same Quarkus JSON formatter (ECS, the
 * services' default exception output) wrote it for PaymentReconciler's "reconciling order … failed" error.
 */
class ElasticsearchObjectsIT {

    static final String TRACE = "03c7e80c41be757626dd398972b72464";
    static final Instant POD_START = Instant.parse("2026-11-22T10:45:55Z");
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static ElasticsearchProcess es;
    static Path root;

    @BeforeAll
    static void startElasticsearchAndShipTheLogs() throws Exception {
        root = Path.of(System.getProperty("berth.root", "..")).toAbsolutePath().normalize();
        Path dir = Path.of("target", "elasticsearch-objects-it").toAbsolutePath();
        deleteTree(dir);
        es = ElasticsearchProcess.start(ElasticsearchProcess.freePort(), dir);

        JsonNode template = call("PUT", "/_index_template/berth-logs",
                Files.readString(root.resolve("observability/elasticsearch/index-template.json")));
        assertThat(template.path("acknowledged").asBoolean()).as("template accepted: %s", template).isTrue();

        StringBuilder bulk = new StringBuilder();
        for (String service : List.of("order-service", "payment-service")) {
            for (ObjectNode doc : shipped(service, "order-service".equals(service) ? "5d8f7c9b4-x2x7q" : "7b6c5d4e3-k9m2p")) {
                String id = doc.get("kubernetes.pod.name").asText() + "-" + doc.get("log.offset").asLong();
                String index = "berth-logs-" + DAY.format(Instant.parse(doc.get("@timestamp").asText()));
                bulk.append(JSON.writeValueAsString(Map.of("index", Map.of("_index", index, "_id", id)))).append('\n')
                        .append(JSON.writeValueAsString(doc)).append('\n');
            }
        }
        JsonNode indexed = call("POST", "/_bulk?refresh=wait_for", bulk.toString());
        assertThat(indexed.path("errors").asBoolean()).as("bulk errors: %s", indexed).isFalse();
        assertThat(indexed.path("items")).hasSize(16);
    }

    @AfterAll
    static void stop() {
        if (es != null) {
            es.close();
        }
    }

    @Test
    void theTemplateGivesTheLogFieldsTheirIntendedTypes() throws Exception {
        Map<String, String> types = fieldTypes();

        assertThat(types).containsAllEntriesOf(Map.ofEntries(
                Map.entry("@timestamp", "date_nanos"), Map.entry("message", "text"), Map.entry("tags", "keyword"),
                Map.entry("log.level", "keyword"), Map.entry("log.logger", "keyword"),
                Map.entry("log.file.path", "keyword"), Map.entry("log.offset", "long"),
                Map.entry("trace.id", "keyword"), Map.entry("span.id", "keyword"), Map.entry("mdc", "flattened"),
                Map.entry("service.name", "keyword"), Map.entry("service.version", "keyword"),
                Map.entry("kubernetes.namespace", "keyword"), Map.entry("kubernetes.pod.name", "keyword"),
                Map.entry("kubernetes.container.name", "keyword"), Map.entry("kubernetes.node.name", "keyword"),
                Map.entry("cloud.availability_zone", "keyword"), Map.entry("berth.revision", "keyword"),
                Map.entry("berth.workload", "keyword"), Map.entry("event.sequence", "long"),
                Map.entry("process.pid", "long"), Map.entry("process.thread.id", "long"),
                Map.entry("process.thread.name", "keyword"), Map.entry("host.hostname", "keyword"),
                Map.entry("error.type", "keyword"), Map.entry("error.message", "text"),
                Map.entry("error.stack_trace", "text"), Map.entry("exception", "flattened")));
        // everything else a service or the shipper writes is an exact value: full text only where people read prose
        assertThat(types.entrySet()).filteredOn(e -> e.getValue().contains("text")).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("message", "error.message", "error.stack_trace");
        assertThat(call("GET", "/berth-logs-*/_settings", null).findValue("number_of_replicas").asText())
                .as("no replica on a single node").isEqualTo("0");
    }

    @Test
    void everyFieldAKibanaObjectReferencesExistsInTheLiveMapping() throws Exception {
        KibanaObjects kibana = KibanaObjects.read(root.resolve("observability/kibana/saved-objects.ndjson"));
        JsonNode caps = call("GET", "/berth-logs-*/_field_caps?fields=*", null).path("fields");
        Map<String, String> types = fieldTypes();

        // a field with values: field caps also lists the objects on the way ("kubernetes.pod"), which hold none
        assertThat(kibana.referencedFields()).isNotEmpty().allSatisfy(field ->
                assertThat(types.get(field)).as("field %s (used by %s) in the mapping", field, kibana.referencedFieldsByObject())
                        .isNotNull().isNotIn("object", "nested"));
        assertThat(kibana.aggregatedFields()).isNotEmpty().allSatisfy(field ->
                assertThat(caps.path(field).findValue("aggregatable").asBoolean()).as("%s sortable/aggregatable", field).isTrue());
        assertThat(kibana.timeFields()).allSatisfy(field ->
                assertThat(types.get(field)).as("time field %s", field).isIn("date", "date_nanos"));
    }

    @Test
    void oneQueryOnTheTraceIdFindsTheRequestInBothServices() throws Exception {
        List<JsonNode> hits = search("{\"term\": {\"trace.id\": \"" + TRACE + "\"}}");

        // payment-service logs the charge before order-service logs the order as placed
        assertThat(hits).extracting(h -> h.path("fields").path("service.name").path(0).asText())
                .containsExactly("payment-service", "order-service");
        assertThat(hits).extracting(h -> h.path("fields").path("kubernetes.pod.name").path(0).asText())
                .containsExactly("payment-service-7b6c5d4e3-k9m2p", "order-service-5d8f7c9b4-x2x7q");
    }

    @Test
    void eachSavedSearchFindsWhatItPromises() throws Exception {
        Map<String, KibanaObjects.SavedQuery> queries =
                KibanaObjects.read(root.resolve("observability/kibana/saved-objects.ndjson")).savedSearchQueries();

        // the shipped KQL stays in the subset (field: value, field: "value") that Lucene's query_string reads alike
        assertThat(queries.values()).extracting(KibanaObjects.SavedQuery::language).containsOnly("kuery");
        List<JsonNode> errors = search(queryString(queries.get("Errors by service").query()));
        assertThat(errors).extracting(h -> h.path("fields").path("log.logger").path(0).asText())
                .containsExactly("dev.berth.order.service.PaymentReconciler");
        assertThat(errors.get(0).path("_source").path("exception").path("exceptionType").asText())
                .isEqualTo("jakarta.ws.rs.ProcessingException");
        assertThat(search(queryString(queries.get("Trace across services").query())))
                .extracting(h -> h.path("fields").path("service.name").path(0).asText())
                .containsExactly("payment-service", "order-service");
    }

    @Test
    void aLineNotJsonIsAPlainMessageAndAConflictingOneIsRejected() throws Exception {
        List<JsonNode> plain = search("{\"term\": {\"tags\": \"berth_plain_text\"}}");
        assertThat(plain).singleElement().satisfies(h ->
                assertThat(h.path("fields").path("message").path(0).asText()).startsWith("OpenJDK 64-Bit Server VM warning"));

        // what the shipper dead-letters: Elasticsearch refuses a value the template's type cannot hold
        HttpResponse<String> conflict = send("POST", "/berth-logs-2026.11.22/_doc",
                "{\"@timestamp\": \"2026-11-22T10:47:00Z\", \"message\": \"x\", \"event.sequence\": \"not-a-number\"}");
        assertThat(conflict.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(conflict.body()).path("error").path("type").asText()).isEqualTo("document_parsing_exception");
    }

    @Test
    void theNodeKeepsEveryAcknowledgedDocumentAcrossAStopAndARestart() throws Exception {
        long before = call("GET", "/berth-logs-*/_count", null).path("count").asLong();

        es.stop();
        assertThatThrownBy(() -> send("GET", "/_cluster/health", null)).as("stopped: nothing listens").isInstanceOf(IOException.class);
        es.restart();

        assertThat(before).isEqualTo(16);
        assertThat(call("GET", "/berth-logs-*/_count", null).path("count").asLong()).isEqualTo(before);
    }

    /**
     * The documents the shipper makes of one replica's log file: each JSON line as the service wrote it plus the
     * replica's metadata; a line that is not JSON becomes a plain message tagged berth_plain_text, timed at the last
     * timestamp seen in the file (the pod's start before any).
     */
    static List<ObjectNode> shipped(String service, String podSuffix) throws IOException {
        Path file = Path.of("src/test/resources/logs", service + ".ndjson");
        byte[] bytes = Files.readAllBytes(file);
        String pod = service + "-" + podSuffix;
        List<ObjectNode> docs = new ArrayList<>();
        String lastTimestamp = POD_START.toString();
        int offset = 0;
        for (int end; offset < bytes.length; offset = end + 1) {
            end = indexOf(bytes, (byte) '\n', offset);
            String line = new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
            ObjectNode doc;
            try {
                doc = (ObjectNode) JSON.readTree(line);
                lastTimestamp = doc.get("@timestamp").asText();
            } catch (IOException | ClassCastException notJson) {
                doc = JSON.createObjectNode().put("@timestamp", lastTimestamp).put("message", line);
                doc.putArray("tags").add("berth_plain_text");
            }
            if (!doc.has("service.name")) {
                doc.put("service.name", service);
            }
            doc.put("kubernetes.namespace", "default").put("kubernetes.pod.name", pod)
                    .put("kubernetes.container.name", service).put("kubernetes.node.name", "node-a")
                    .put("cloud.availability_zone", "zone-a").put("berth.revision", "1").put("berth.workload", service)
                    .put("log.file.path", "/var/lib/berth/replicas/default/" + pod + "/" + service + ".log")
                    .put("log.offset", offset);
            docs.add(doc);
        }
        return docs;
    }

    static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }

    /** Hits of a query over berth-logs-*, oldest first, with fields service.name, kubernetes.pod.name, log.logger, message. */
    static List<JsonNode> search(String query) throws Exception {
        JsonNode result = call("POST", "/berth-logs-*/_search", """
                {"query": %s, "sort": [{"@timestamp": "asc"}], "size": 100,
                 "fields": ["service.name", "kubernetes.pod.name", "log.logger", "message"]}""".formatted(query));
        List<JsonNode> hits = new ArrayList<>();
        result.path("hits").path("hits").forEach(hits::add);
        return hits;
    }

    static String queryString(String query) throws IOException {
        return JSON.writeValueAsString(Map.of("query_string", Map.of("query", query)));
    }

    /** Field → type in berth-logs-* (types joined by "," if the indices disagree). */
    static Map<String, String> fieldTypes() throws Exception {
        Map<String, String> types = new TreeMap<>();
        call("GET", "/berth-logs-*/_field_caps?fields=*", null).path("fields").properties().forEach(field -> {
            List<String> names = new ArrayList<>();
            field.getValue().fieldNames().forEachRemaining(names::add);
            types.put(field.getKey(), String.join(",", names));
        });
        return types;
    }

    static JsonNode call(String method, String path, String body) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode()).as("%s %s -> %s", method, path, response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(es.url() + path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", path.startsWith("/_bulk") ? "application/x-ndjson" : "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
