package dev.berth.platform.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.RolloutStatus;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.testapp.TestImages;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus that finds the core and every Ready replica through the core's HTTP service discovery:
 * discovery with its labels; canary analysis on the core's proxy metrics — a healthy canary is promoted step by
 * step, one serving 5xx is aborted and rolled back, the verdicts' numbers from PromQL.
 */
class CanaryPrometheusIT {

    static PrometheusProcess prometheus;
    static CoreUnderTest core;
    static Engine admin;
    static String image;
    static Workloads w;

    @BeforeAll
    static void start() throws Exception {
        image = TestImages.testApp("canary", Path.of("target", "testapp"));
        int prometheusPort = PrometheusProcess.freePort();
        core = new CoreUnderTest("canary", Map.of("BERTH_ANALYSIS_PROMETHEUS_URL", "http://127.0.0.1:" + prometheusPort));
        prometheus = PrometheusProcess.scraping(prometheusPort, core.process.port(), core.state.resolve("prometheus"));
        core.start();
        admin = core.admin();
        w = new Workloads(core, image);
    }

    @AfterAll
    static void stop() {
        CoreUnderTest.shutDown(core);
        if (prometheus != null) {
            prometheus.close();
        }
    }

    static final String CANARY = "berth.dev/canary-steps: \"25,50\", berth.dev/canary-step-seconds: \"6\", berth.dev/canary-min-requests: \"10\"";

    static List<Event> events(String name) {
        return admin.<Event>list(ResourceKind.EVENT, "default", null).stream().filter(e -> e.getInvolvedObject().getName().equals(name)).toList();
    }

    /** An instant PromQL query's series, each as its labels plus "value". */
    static List<Map<String, String>> query(String promql) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(prometheus.url() + "/api/v1/query?query="
                + java.net.URLEncoder.encode(promql, java.nio.charset.StandardCharsets.UTF_8))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        List<Map<String, String>> out = new java.util.ArrayList<>();
        for (var series : json.path("data").path("result")) {
            Map<String, String> labels = new java.util.TreeMap<>();
            series.path("metric").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
            labels.put("value", series.path("value").get(1).asText());
            out.add(labels);
        }
        return out;
    }

    @Test
    void prometheusDiscoversTheCoreAndEveryReadyReplicaWithItsLabels() throws Exception {
        String name = "sd";
        admin.apply(w.manifest(name, 2, "v1", null, ""), "default", false);
        w.awaitRolledOut(name);
        List<String> pods = w.activePods(name).stream().map(p -> p.getMetadata().getName()).sorted().toList();
        core.converge("default", Duration.ofSeconds(60), () -> {
            List<Map<String, String>> up = query("up{job=\"berth-replicas\",service=\"" + name + "\"}");
            assertThat(up).extracting(m -> m.get("replica")).containsExactlyInAnyOrderElementsOf(pods);
            assertThat(up).allSatisfy(m -> {
                assertThat(m).containsEntry("value", "1").containsEntry("namespace", "default").containsEntry("revision", "1");
                assertThat(m.get("node")).startsWith("node-");
                assertThat(m.get("zone")).startsWith("zone-");
            });
            assertThat(query("up{job=\"berth-core\"}")).singleElement().satisfies(m -> assertThat(m).containsEntry("value", "1"));
            assertThat(query("testapp_info{service=\"" + name + "\"}")).hasSize(2);
        });
    }

    @Test
    void aHealthyCanaryIsPromotedStepByStepOnPrometheusVerdicts() throws Exception {
        String name = "canary-good";
        admin.apply(w.manifest(name, 2, "v1", null, CANARY), "default", false);
        w.awaitRolledOut(name);
        try (ServiceLoad load = w.load(name)) {
            admin.apply(w.manifest(name, 2, "v2", null, CANARY), "default", false);
            w.awaitRolledOut(name);
            load.stop();
            assertThat(load.failures()).isEmpty();
        }
        assertThat(Workloads.versionOf(w.deployment(name))).isEqualTo("v2");
        assertThat(events(name)).filteredOn(e -> e.getReason().equals("CanaryStep")).extracting(Event::getMessage)
                .anySatisfy(m -> assertThat(m).contains("step 1/2: 25% of traffic"))
                .anySatisfy(m -> assertThat(m).contains("step 1 passed: Prometheus http://127.0.0.1:" + prometheus.port + ": error ratio 0.0000"));
        assertThat(events(name)).filteredOn(e -> e.getReason().equals("CanaryPromoted")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("promoted after 2 steps").contains("p99 0."));
    }

    @Test
    void aCanaryServingErrorsIsAbortedOnPrometheusVerdict() throws Exception {
        String name = "canary-5xx";
        admin.apply(w.manifest(name, 2, "v1", null, CANARY), "default", false);
        w.awaitRolledOut(name);
        try (ServiceLoad load = w.load(name)) {
            admin.apply(w.manifest(name, 2, "v2", "            - {name: FAIL_STATUS, value: \"500\"}", CANARY), "default", false);
            core.converge("default", Duration.ofSeconds(90), () -> {
                Deployment d = w.deployment(name);
                List<ReplicaSet> owned = admin.<ReplicaSet>list(ResourceKind.REPLICASET, "default", null).stream()
                        .filter(rs -> Owners.isOwnedBy(rs, d)).toList();
                assertThat(RolloutStatus.of(d, owned).message()).contains("rolled back automatically (AnalysisFailed)").contains("Prometheus");
            });
            load.stop();
        }
        assertThat(Workloads.versionOf(w.deployment(name))).isEqualTo("v1");
        assertThat(events(name)).filteredOn(e -> e.getReason().equals("RolledBack")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("AnalysisFailed").contains("error ratio 1.0000"));
    }
}
