package dev.berth.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.model.HostPorts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prometheus HTTP service discovery of the local engine: who is listed, where, with which labels. */
class ScrapeTargetsTest {

    static Pod pod(String name, boolean ready, Map<String, String> annotations) {
        Map<String, String> all = new java.util.HashMap<>(annotations);
        all.put(HostPorts.ANNOTATION, "8080=41234");
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("berth").withAnnotations(all)
                .addToLabels("app.kubernetes.io/name", "order-service")
                .withOwnerReferences(new OwnerReferenceBuilder().withKind("ReplicaSet").withName("order-service-abc").withController(true).build())
                .endMetadata()
                .withNewSpec().withNodeName("node-2").endSpec()
                .withNewStatus().withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build()).endStatus()
                .build();
    }

    static final Map<String, String> SCRAPE = Map.of(ScrapeTargets.SCRAPE, "true", ScrapeTargets.PATH, "/q/metrics", ScrapeTargets.PORT, "8080");
    static final List<Node> NODES = List.of(new NodeBuilder().withNewMetadata().withName("node-2").addToLabels("topology.kubernetes.io/zone", "zone-b")
            .endMetadata().build());
    static final List<ReplicaSet> SETS = List.of(new ReplicaSetBuilder().withNewMetadata().withName("order-service-abc").withNamespace("berth")
            .addToAnnotations("deployment.kubernetes.io/revision", "3").endMetadata().build());

    @Test
    void aReadyAnnotatedReplicaIsListedAtItsHostPortWithItsLabels() {
        List<ScrapeTargets.TargetGroup> groups = ScrapeTargets.of(List.of(pod("order-service-abc-x", true, SCRAPE)), NODES, SETS, 7070);
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).isEqualTo(new ScrapeTargets.TargetGroup(List.of("127.0.0.1:7070"),
                Map.of("__metrics_path__", "/q/metrics", "job", "berth-core")));
        assertThat(groups.get(1).targets()).containsExactly("127.0.0.1:41234");
        assertThat(groups.get(1).labels()).containsAllEntriesOf(Map.of("__metrics_path__", "/q/metrics", "__scheme__", "http", "job", "berth-replicas",
                "namespace", "berth", "service", "order-service", "replica", "order-service-abc-x", "node", "node-2", "zone", "zone-b",
                "revision", "3"));
    }

    @Test
    void unreadyUnannotatedAndTerminatingReplicasAreNot() {
        Pod terminating = pod("c", true, SCRAPE);
        terminating.getMetadata().setDeletionTimestamp("2026-11-22T10:00:00Z");
        List<Pod> pods = List.of(pod("a", false, SCRAPE), pod("b", true, Map.of()), terminating,
                pod("d", true, Map.of(ScrapeTargets.SCRAPE, "true", ScrapeTargets.PORT, "9999")));
        assertThat(ScrapeTargets.of(pods, NODES, SETS, 7070)).hasSize(1); // the core only
    }
}
