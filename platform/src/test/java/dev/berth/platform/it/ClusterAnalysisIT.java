package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.berth.platform.cluster.RolloutSupervisor;
import dev.berth.platform.cluster.SimulatedCluster;
import dev.berth.platform.controller.Canary;
import dev.berth.platform.engine.KubernetesEngine;
import dev.berth.platform.engine.PrometheusCanaryAnalysis;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rollout supervision on a cluster with analysis: a real Prometheus scrapes the two revisions' request metrics (as a
 * cluster's Prometheus sees the services' {@code http_server_requests_seconds}, labelled namespace/service/revision by
 * k8s/observability's relabelling), the Deployment carries the local engine's canary thresholds, and the supervisor
 * must roll back the revision failing them and keep the one passing them. The Kubernetes API is fabric8's mock.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterAnalysisIT {

    KubernetesClient client;

    HttpServer exporter;
    ScheduledExecutorService traffic;
    PrometheusProcess prometheus;
    final AtomicLong oldOk = new AtomicLong();
    final AtomicLong newOk = new AtomicLong();
    final AtomicLong newErrors = new AtomicLong();
    volatile boolean newRevisionFails;

    static String series(String revision, String status, long count) {
        String labels = "namespace=\"shop\",service=\"web\",revision=\"" + revision + "\",status=\"" + status + "\",uri=\"/api/orders\"";
        return "http_server_requests_seconds_bucket{" + labels + ",le=\"0.05\"} " + count + "\n"
                + "http_server_requests_seconds_bucket{" + labels + ",le=\"+Inf\"} " + count + "\n"
                + "http_server_requests_seconds_count{" + labels + "} " + count + "\n"
                + "http_server_requests_seconds_sum{" + labels + "} " + (count * 0.01) + "\n";
    }

    @BeforeEach
    void start() throws Exception {
        exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", x -> {
            byte[] body = ("# TYPE http_server_requests_seconds histogram\n" + series("h1", "200", oldOk.get()) + series("h2", "200", newOk.get())
                    + series("h2", "500", newErrors.get())).getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        exporter.start();
        // 20 requests/s to each revision; the new one answers half of them with 500 when it is the broken build
        traffic = Executors.newSingleThreadScheduledExecutor();
        traffic.scheduleAtFixedRate(() -> {
            oldOk.addAndGet(2);
            if (newRevisionFails) {
                newOk.incrementAndGet();
                newErrors.incrementAndGet();
            } else {
                newOk.addAndGet(2);
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        Path dir = Files.createDirectories(Path.of("target", "it-state", "cluster-analysis-" + System.nanoTime()).toAbsolutePath());
        prometheus = PrometheusProcess.scrapingTarget(PrometheusProcess.freePort(), exporter.getAddress().getPort(), dir);
    }

    @AfterEach
    void stop() {
        traffic.shutdownNow();
        exporter.stop(0);
        prometheus.close();
    }

    RolloutSupervisor supervisor() {
        return new RolloutSupervisor(new KubernetesEngine(client), 3,
                new PrometheusCanaryAnalysis(URI.create(prometheus.url()), PrometheusCanaryAnalysis.SERVICE));
    }

    static final Map<String, String> THRESHOLDS = Map.of(Canary.STEPS, "50", Canary.STEP_SECONDS, "4", Canary.MAX_ERROR_RATIO, "0.05",
            Canary.MAX_P99_SECONDS, "0.5", Canary.MIN_REQUESTS, "20");

    @Test
    void aNewRevisionFailingTheAnalysisIsRolledBackWithTheVerdict() {
        newRevisionFails = true;
        SimulatedCluster cluster = new SimulatedCluster(client);
        cluster.deployment(2, THRESHOLDS);
        cluster.status(1, 2, 1, false);
        List<String> progress = new CopyOnWriteArrayList<>();

        RolloutSupervisor.Verdict verdict = supervisor().supervise("shop", "web", Duration.ofSeconds(60), progress::add);

        assertThat(verdict.outcome()).as(String.join("\n", progress)).isEqualTo(RolloutSupervisor.Verdict.Outcome.ROLLED_BACK);
        String prefix = "Rolled back from revision 2 to the template of revision 1: AnalysisFailed: Prometheus " + prometheus.url() + ": error ratio ";
        assertThat(verdict.reason()).startsWith(prefix);
        double ratio = Double.parseDouble(verdict.reason().substring(prefix.length()).split(" ")[0]);
        // half of its answers are 500s: 0.5, give or take increase()'s extrapolation and the rounding of both counts
        assertThat(ratio).as("the broken revision's share of 500s, as Prometheus measured it").isGreaterThan(0.05).isLessThan(0.6);
        assertThat(cluster.image()).isEqualTo("web:v1");
        await().atMost(5, SECONDS).until(() -> cluster.rolledBackEvents().size() == 1);
        assertThat(cluster.rolledBackEvents().get(0).getMessage()).contains("AnalysisFailed", "limit 0.05");
    }

    @Test
    void aHealthyNewRevisionPassesAndItsCompleteRolloutStands() {
        SimulatedCluster cluster = new SimulatedCluster(client);
        cluster.deployment(2, THRESHOLDS);
        cluster.status(2, 2, 2, false); // Kubernetes finished the rolling update; the supervisor still wants one verdict
        List<String> progress = new CopyOnWriteArrayList<>();

        RolloutSupervisor.Verdict verdict = supervisor().supervise("shop", "web", Duration.ofSeconds(60), progress::add);

        assertThat(verdict.outcome()).as(String.join("\n", progress)).isEqualTo(RolloutSupervisor.Verdict.Outcome.COMPLETE);
        assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("analysis of revision 2: PASS, Prometheus " + prometheus.url()
                + ": error ratio 0.0000"));
        assertThat(cluster.image()).isEqualTo("web:v2");
        assertThat(cluster.rolledBackEvents()).isEmpty();
    }
}
