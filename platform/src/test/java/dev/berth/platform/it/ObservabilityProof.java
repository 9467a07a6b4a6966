package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.observability.DashboardQueries;
import dev.berth.platform.observability.KibanaObjects;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the kit's observability files claim, checked against the real Prometheus and Elasticsearch that watched the
 * running services: every Grafana panel's PromQL returns series, every rule evaluates without error and every
 * recording rule yields series, one query on a trace id finds both services' lines, and every field a Kibana saved
 * object references exists in the live mapping.
 */
final class ObservabilityProof {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ObservabilityProof() {}

    static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static JsonNode post(String url, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s: %s", url, r.body()).isLessThan(300);
        return JSON.readTree(r.body());
    }

    /** Number of series an instant query returns; fails on a query Prometheus rejects. */
    static int series(PrometheusProcess prometheus, String promql) throws Exception {
        JsonNode answer = get(prometheus.url() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(answer.path("status").asText()).as(promql).isEqualTo("success");
        JsonNode result = answer.path("data").path("result");
        return result.isArray() ? result.size() : 1;
    }

    /** Every panel query of every dashboard, with the namespace's services selected, returns at least one series. */
    static void everyDashboardQueryReturnsSeries(PrometheusProcess prometheus, String namespace) {
        List<DashboardQueries.PanelQuery> queries = DashboardQueries.read(Map.of("namespace", namespace,
                "service", "order-service|payment-service"));
        assertThat(queries).hasSizeGreaterThan(40);
        List<String> empty = new ArrayList<>();
        await("every dashboard query returns series").atMost(150, SECONDS).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
            empty.clear();
            for (DashboardQueries.PanelQuery q : queries) {
                if (series(prometheus, q.expr()) == 0) {
                    empty.add(q.dashboard() + " / " + q.panel() + " [" + q.refId() + "]: " + q.expr());
                }
            }
            assertThat(empty).as("queries without series").isEmpty();
        });
    }

    /** Every rule group loaded, every rule healthy; every recording rule's series exist. */
    static void everyRuleEvaluatesAndRecords(PrometheusProcess prometheus) {
        await("every recording rule has series").atMost(90, SECONDS).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode groups = get(prometheus.url() + "/api/v1/rules").path("data").path("groups");
            assertThat(groups).as("rule groups loaded from observability/prometheus/rules").isNotEmpty();
            List<String> problems = new ArrayList<>();
            int alerts = 0;
            for (JsonNode g : groups) {
                for (JsonNode r : g.path("rules")) {
                    if (!"ok".equals(r.path("health").asText())) {
                        problems.add(r.path("name").asText() + ": " + r.path("health").asText() + " " + r.path("lastError").asText());
                    }
                    if ("recording".equals(r.path("type").asText()) && series(prometheus, r.path("name").asText()) == 0) {
                        problems.add(r.path("name").asText() + ": no series");
                    }
                    alerts += "alerting".equals(r.path("type").asText()) ? 1 : 0;
                }
            }
            assertThat(problems).isEmpty();
            assertThat(alerts).as("alerting rules").isGreaterThanOrEqualTo(9);
        });
    }

    /** The order's trace id, from order-service's log line about it, finds the lines of both services in one query. */
    static void oneTraceIdQueryFindsBothServices(String elasticsearch, String orderId) {
        await("order " + orderId + "'s trace in both services' logs").atMost(60, SECONDS).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            post(elasticsearch + "/berth-logs-*/_refresh", "");
            JsonNode placed = post(elasticsearch + "/berth-logs-*/_search", "{\"size\":1,\"query\":{\"bool\":{\"filter\":["
                    + "{\"term\":{\"service.name\":\"order-service\"}},{\"match_phrase\":{\"message\":\"" + orderId + "\"}}]}},"
                    + "\"fields\":[\"trace.id\"],\"_source\":false}").path("hits").path("hits");
            assertThat(placed).as("order-service's line about " + orderId).isNotEmpty();
            String trace = placed.get(0).path("fields").path("trace.id").get(0).asText();
            assertThat(trace).isNotBlank();
            // the query the README documents: trace.id:<id>
            JsonNode hits = post(elasticsearch + "/berth-logs-*/_search", "{\"size\":100,\"query\":{\"query_string\":{\"query\":\"trace.id:"
                    + trace + "\"}},\"fields\":[\"service.name\",\"message\"],\"_source\":false}").path("hits").path("hits");
            Set<String> services = new HashSet<>();
            hits.forEach(h -> services.add(h.path("fields").path("service.name").get(0).asText()));
            assertThat(services).containsExactlyInAnyOrder("order-service", "payment-service");
        });
    }

    /** Every field the Kibana saved objects reference is in the live mapping of the shipped logs. */
    static void everyKibanaFieldExists(String elasticsearch) throws Exception {
        KibanaObjects kibana = KibanaObjects.read(Path.of(System.getProperty("berth.root", "..")).resolve("observability/kibana/saved-objects.ndjson"));
        JsonNode caps = get(elasticsearch + "/berth-logs-*/_field_caps?fields=*").path("fields");
        assertThat(kibana.referencedFields()).isNotEmpty().allSatisfy(f -> assertThat(caps.has(f)).as("field %s in the live mapping", f).isTrue());
        assertThat(kibana.aggregatedFields()).allSatisfy(f -> assertThat(caps.path(f).elements().next().path("aggregatable").asBoolean())
                .as("field %s aggregatable", f).isTrue());
    }
}
