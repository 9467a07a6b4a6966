package dev.berth.platform.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.controller.Canary;
import dev.berth.platform.controller.CanaryAnalysis;
import dev.berth.platform.controller.DeploymentPlanner;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * Canary analysis on a real Prometheus: PromQL over one revision's series for the step's window, judged by
 * {@link CanaryAnalysis#judge}. Two sets of series, the same definitions:
 * <ul>
 * <li>{@link #PROXY} (the local engine): the core's proxy counts every request per revision.
 * <pre>
 * requests: sum(increase(berth_proxy_requests_total{revision="R"}[W]))
 * errors:   sum(increase(berth_proxy_requests_total{revision="R",code=~"5xx|reset"}[W]))
 * p99:      histogram_quantile(0.99, sum by (le) (rate(berth_proxy_request_duration_seconds_bucket{revision="R"}[W])))
 * </pre></li>
 * <li>{@link #SERVICE} (a Kubernetes cluster, where traffic does not pass through Berth): the services' own
 * {@code http_server_requests_seconds} histograms, labelled by k8s/observability's Prometheus with namespace, service
 * (the pod's {@code app.kubernetes.io/name} or {@code app}) and revision (its {@code pod-template-hash}); errors are
 * {@code status=~"5.."}.</li>
 * </ul>
 * R = the revision's pod-template-hash, W = the step's length. An unreachable Prometheus or a failed query is no
 * verdict (the step goes on), never a pass. Thread-safe.
 */
public final class PrometheusCanaryAnalysis implements CanaryAnalysis {

    /** Which series a revision's traffic is read from. */
    public record Series(String requests, String durationBuckets, String errors, Function<ReplicaSet, String> matcher) {
    }

    public static final Series PROXY = new Series("berth_proxy_requests_total", "berth_proxy_request_duration_seconds_bucket",
            "code=~\"5xx|reset\"", rs -> "revision=\"" + DeploymentPlanner.hashOf(rs) + "\"");

    public static final Series SERVICE = new Series("http_server_requests_seconds_count", "http_server_requests_seconds_bucket",
            "status=~\"5..\"", rs -> {
                Map<String, String> labels = rs.getSpec().getTemplate().getMetadata().getLabels();
                String service = labels.getOrDefault("app.kubernetes.io/name", labels.get("app"));
                return "namespace=\"" + rs.getMetadata().getNamespace() + "\",service=\"" + service + "\",revision=\""
                        + DeploymentPlanner.hashOf(rs) + "\"";
            });

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI prometheus;
    private final Series series;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** On the proxy's series (the local engine). */
    public PrometheusCanaryAnalysis(URI prometheus) {
        this(prometheus, PROXY);
    }

    public PrometheusCanaryAnalysis(URI prometheus, Series series) {
        this.prometheus = prometheus;
        this.series = series;
    }

    @Override
    public Canary.Verdict analyse(Deployment d, ReplicaSet canary, Canary.Settings settings, Instant since, Instant now) {
        String m = series.matcher().apply(canary);
        long seconds = Math.max(settings.stepDuration().toSeconds(), Duration.between(since, now).toSeconds());
        String window = "[" + Math.max(seconds, 10) + "s]";
        try {
            double requests = scalar("sum(increase(" + series.requests() + "{" + m + "}" + window + "))", now);
            double errors = scalar("sum(increase(" + series.requests() + "{" + m + "," + series.errors() + "}" + window + "))", now);
            double p99 = scalar("histogram_quantile(0.99, sum by (le) (rate(" + series.durationBuckets() + "{" + m + "}" + window + ")))", now);
            return CanaryAnalysis.judge("Prometheus " + prometheus, Math.round(requests), Math.round(errors), Double.isNaN(p99) ? null : p99, settings);
        } catch (IOException e) {
            return new Canary.Verdict(Canary.Verdict.Outcome.INCONCLUSIVE, "Prometheus " + prometheus + " could not be queried: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Canary.Verdict(Canary.Verdict.Outcome.INCONCLUSIVE, "interrupted");
        }
    }

    /** One instant query's single value; no series is 0 (no requests, no errors), NaN stays NaN. */
    double scalar(String promql, Instant at) throws IOException, InterruptedException {
        URI uri = prometheus.resolve("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + at.getEpochSecond());
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IOException("HTTP " + response.statusCode() + ": " + body.path("error").asText(response.body()));
        }
        JsonNode result = body.path("data").path("result");
        if (!result.isArray() || result.isEmpty()) {
            return 0;
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }
}
