package dev.berth.platform.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.engine.Engine;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.testapp.TestImages;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A HorizontalPodAutoscaler on the proxy's request rate, with real replicas and real load: up under load to its
 * maximum, back to its minimum once the load is gone and the scale-down window has passed; events say why.
 */
class AutoscalerIT {

    static CoreUnderTest core;
    static Engine admin;
    static Workloads w;

    @BeforeAll
    static void start() throws Exception {
        String image = TestImages.testApp("autoscaler", Path.of("target", "testapp"));
        core = new CoreUnderTest("autoscaler", Map.of("BERTH_AUTOSCALER_SYNC_PERIOD", "1s")).start();
        admin = core.admin();
        w = new Workloads(core, image);
    }

    @AfterAll
    static void stop() {
        CoreUnderTest.shutDown(core);
    }

    static final String HPA = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: web
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
              minReplicas: 1
              maxReplicas: 3
              metrics:
                - type: Pods
                  pods:
                    metric: {name: requests_per_second}
                    target: {type: AverageValue, averageValue: "5"}
              behavior:
                scaleDown: {stabilizationWindowSeconds: 5}
            """;

    static List<String> rescales() {
        return admin.<Event>list(ResourceKind.EVENT, "default", null).stream()
                .filter(e -> "SuccessfulRescale".equals(e.getReason())).map(Event::getMessage).toList();
    }

    @Test
    void scalesUpUnderLoadAndBackDownAfterTheWindow() throws Exception {
        admin.apply(w.manifest("web", 1, "v1", null, "") + "---\n" + HPA, "default", false);
        w.awaitRolledOut("web");
        // on the kernel path the load goes to the Service's virtual address: an autoscaler on its request rate keeps
        // its connections on the proxy, which counts the requests
        w.awaitKernelRuleToProxy("web");
        try (ServiceLoad load = Workloads.loadAt(w.serviceUri("web"))) {
            core.converge("default", Duration.ofSeconds(60), () -> {
                assertThat(w.deployment("web").getSpec().getReplicas()).isEqualTo(3);
                assertThat(w.activePods("web")).hasSize(3);
            });
            load.stop();
            assertThat(load.failures()).as("requests failed while scaling up").isEmpty();
        }
        assertThat(rescales()).anySatisfy(m -> assertThat(m).startsWith("New size: 3; reason: requests_per_second above target"));
        HorizontalPodAutoscaler hpa = admin.<HorizontalPodAutoscaler>get(ResourceKind.HORIZONTAL_POD_AUTOSCALER, "default", "web").orElseThrow();
        assertThat(hpa.getStatus().getLastScaleTime()).isNotNull();
        assertThat(hpa.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("ScalingActive");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        core.converge("default", Duration.ofSeconds(60), () -> assertThat(w.deployment("web").getSpec().getReplicas()).isEqualTo(1));
        assertThat(rescales()).anySatisfy(m -> assertThat(m).isEqualTo("New size: 1; reason: All metrics below target"));
    }

    @Test
    void scalesOnCpuUtilisationOfTheReplicaProcesses() throws Exception {
        // each GET burns 20 ms of cpu; the pods request 50m, so a few requests a second are far above 50 %
        admin.apply(w.manifest("busy", 1, "v1", "            - {name: BURN_MS, value: \"20\"}", "") + "---\n" + """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: busy}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: busy}
                  minReplicas: 1
                  maxReplicas: 2
                  metrics:
                    - type: Resource
                      resource:
                        name: cpu
                        target: {type: Utilization, averageUtilization: 50}
                """, "default", false);
        w.awaitRolledOut("busy");
        try (ServiceLoad load = w.load("busy")) {
            core.converge("default", Duration.ofSeconds(60), () -> {
                assertThat(w.deployment("busy").getSpec().getReplicas()).isEqualTo(2);
                HorizontalPodAutoscaler hpa = admin.<HorizontalPodAutoscaler>get(ResourceKind.HORIZONTAL_POD_AUTOSCALER, "default", "busy").orElseThrow();
                assertThat(hpa.getStatus().getCurrentMetrics())
                        .anySatisfy(m -> assertThat(m.getResource().getCurrent().getAverageUtilization()).isGreaterThan(50));
            });
            load.stop();
        }
        assertThat(rescales()).anySatisfy(m -> assertThat(m).isEqualTo("New size: 2; reason: cpu resource utilization (percentage of request) above target"));
    }

    @Test
    void anUnsupportedMetricIsReportedNotGuessed() {
        admin.apply(w.manifest("odd", 1, "v1", null, ""), "default", false);
        admin.apply("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: odd}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: odd}
                  maxReplicas: 3
                  metrics:
                    - type: External
                      external:
                        metric: {name: queue_depth}
                        target: {type: Value, value: "10"}
                """, "default", false);
        core.converge("default", Duration.ofSeconds(30), () -> assertThat(admin.<HorizontalPodAutoscaler>get(ResourceKind.HORIZONTAL_POD_AUTOSCALER,
                "default", "odd").orElseThrow().getStatus().getConditions()).anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("ScalingActive");
                    assertThat(c.getReason()).isEqualTo("FailedGetMetrics");
                    assertThat(c.getMessage()).contains("unsupported metric (type External)");
                }));
    }
}
