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

/**
 * Canary analysis on a real Prometheus that scrapes the core: PromQL over the proxy's per-revision series
 * ({@code berth_proxy_requests_total}, {@code berth_proxy_request_duration_seconds_bucket}) for the step's window.
 * Queries (R = the canary's pod-template-hash, W = the step's length):
 * <pre>
 * requests: sum(increase(berth_proxy_requests_total{revision="R"}[W]))
 * errors:   sum(increase(berth_proxy_requests_total{revision="R",code=~"5xx|reset"}[W]))
 * p99:      histogram_quantile(0.99, sum by (le) (rate(berth_proxy_request_duration_seconds_bucket{revision="R"}[W])))
 * </pre>
 * An unreachable Prometheus or a failed query is no verdict (the step goes on), never a pass. Thread-safe.
 */
public final class PrometheusCanaryAnalysis implements CanaryAnalysis {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI prometheus;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public PrometheusCanaryAnalysis(URI prometheus) {
        this.prometheus = prometheus;
    }

    @Override
    public Canary.Verdict analyse(Deployment d, ReplicaSet canary, Canary.Settings settings, Instant since, Instant now) {
        String r = DeploymentPlanner.hashOf(canary);
        long seconds = Math.max(settings.stepDuration().toSeconds(), Duration.between(since, now).toSeconds());
        String window = "[" + Math.max(seconds, 10) + "s]";
        try {
            double requests = scalar("sum(increase(berth_proxy_requests_total{revision=\"" + r + "\"}" + window + "))", now);
            double errors = scalar("sum(increase(berth_proxy_requests_total{revision=\"" + r + "\",code=~\"5xx|reset\"}" + window + "))", now);
            double p99 = scalar("histogram_quantile(0.99, sum by (le) (rate(berth_proxy_request_duration_seconds_bucket{revision=\"" + r + "\"}"
                    + window + ")))", now);
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
