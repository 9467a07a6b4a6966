package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HPA controller on a real store: the replicas it writes to the Deployment are kube-controller-manager's
 * ({@link MetricReplicas}), from the pods it measured. Metrics come from a table (the metrics-server's place).
 */
class AutoscalerControllerTest {

    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    static final Instant LONG_AGO = NOW.minus(Duration.ofHours(1));

    @TempDir
    Path dir;
    ObjectStore store;
    AutoscalerController controller;
    final Map<String, Double> cpuCores = new HashMap<>();

    @BeforeEach
    void setUp() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        store = new ObjectStore(dir, new KubernetesSerialization(), clock, 100);
        PodUsage usage = new PodUsage() {
            @Override
            public OptionalDouble cpuCores(Pod pod) {
                Double cores = cpuCores.get(pod.getMetadata().getName());
                return cores == null ? OptionalDouble.empty() : OptionalDouble.of(cores);
            }

            @Override
            public OptionalDouble requestRate(String subject, List<Pod> pods) {
                return OptionalDouble.empty();
            }
        };
        controller = new AutoscalerController(store, new EventRecorder(store, clock), usage, clock, Duration.ofSeconds(15));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void anUnreadyPodCountsAsIdleOnAScaleUpInsteadOfMultiplyingSpecReplicas() {
        // TestReplicaCalcScaleUpUnreadyLessScale: ready pods at 50 % and 70 %, the unready one ignored → 4, not 2.0 × 3 = 6
        given(3, 30);
        pod("web-0", "1", false, 0.3);
        pod("web-1", "1", true, 0.5);
        pod("web-2", "1", true, 0.7);

        controller.reconcile(hpaKey());

        assertThat(replicas()).isEqualTo(4);
        assertThat(hpa().getStatus().getDesiredReplicas()).isEqualTo(4);
        assertThat(hpa().getStatus().getCurrentMetrics().get(0).getResource().getCurrent().getAverageUtilization()).isEqualTo(60);
    }

    @Test
    void podsWithoutASampleCountAsFullyBusyOnAScaleDown() {
        // TestReplicaCalcMissingMetrics: 24 % over the two measured pods, the two unmeasured at 100 % → 62 % → 3, not 1
        given(4, 100);
        pod("web-0", "1", true, 0.4);
        pod("web-1", "1", true, 0.095);
        pod("web-2", "1", true, null);
        pod("web-3", "1", true, null);

        controller.reconcile(hpaKey());

        assertThat(replicas()).isEqualTo(3);
    }

    @Test
    void utilisationIsTotalUseOverTotalRequestsNotAnAverageOfPercentages() {
        // 100m of 100m and 100m of 1900m: 200m of 2000m = 10 % (per-pod percentages would average 52.6 %, within tolerance)
        given(2, 50);
        pod("web-0", "100m", true, 0.1);
        pod("web-1", "1900m", true, 0.1);

        controller.reconcile(hpaKey());

        assertThat(replicas()).isEqualTo(1);
        assertThat(hpa().getStatus().getCurrentMetrics().get(0).getResource().getCurrent().getAverageUtilization()).isEqualTo(10);
    }

    @Test
    void withoutBehaviorAScaleUpIsAtMostTwiceTheReplicasOrFour() {
        // convertDesiredReplicasWithRules: 1 pod at 10 times its target asks for 10; the scale-up limit is max(2 × 1, 4)
        given(1, 10);
        pod("web-0", "1", true, 1.0);

        controller.reconcile(hpaKey());

        assertThat(replicas()).isEqualTo(4);
    }

    @Test
    void withinTheToleranceNothingIsWritten() {
        // TestReplicaCalcTolerance: 102 % of a 100 % target
        given(3, 100);
        pod("web-0", "900m", true, 1.01);
        pod("web-1", "1", true, 1.03);
        pod("web-2", "1100m", true, 1.02);
        long deploymentVersion = Long.parseLong(deployment().getMetadata().getResourceVersion());

        ReconcileResult result = controller.reconcile(hpaKey());

        assertThat(replicas()).isEqualTo(3);
        assertThat(Long.parseLong(deployment().getMetadata().getResourceVersion())).isEqualTo(deploymentVersion);
        assertThat(result).isEqualTo(ReconcileResult.noChange().andRequeueAfter(Duration.ofSeconds(15)));
    }

    void given(int replicas, int targetPercent) {
        store.create(new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("web:1").endContainer().endSpec().endTemplate()
                .endSpec().build());
        store.create(new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("web").endScaleTargetRef()
                .withMinReplicas(1).withMaxReplicas(10)
                .addNewMetric().withType("Resource").withNewResource().withName("cpu").withNewTarget().withType("Utilization")
                .withAverageUtilization(targetPercent).endTarget().endResource().endMetric()
                .endSpec().build());
    }

    /** A running pod started an hour ago whose readiness last changed then; {@code cores} null: no sample yet. */
    void pod(String name, String cpuRequest, boolean ready, Double cores) {
        store.create(new PodBuilder().withNewMetadata().withName(name).withNamespace("default").addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("web:1").withNewResources()
                .addToRequests("cpu", new Quantity(cpuRequest)).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").withStartTime(LONG_AGO.toString())
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").withLastTransitionTime(LONG_AGO.toString()).endCondition()
                .endStatus().build());
        if (cores != null) {
            cpuCores.put(name, cores);
        }
    }

    ObjectKey hpaKey() {
        return new ObjectKey(ResourceKind.HORIZONTAL_POD_AUTOSCALER, "default", "web");
    }

    HorizontalPodAutoscaler hpa() {
        return store.<HorizontalPodAutoscaler>get(hpaKey()).orElseThrow();
    }

    Deployment deployment() {
        return store.<Deployment>get(new ObjectKey(ResourceKind.DEPLOYMENT, "default", "web")).orElseThrow();
    }

    int replicas() {
        return deployment().getSpec().getReplicas();
    }
}
