package dev.berth.platform.scheduler.snapshot;

import dev.berth.platform.scheduler.model.HostPort;
import dev.berth.platform.scheduler.model.LabelSelector;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.Resources;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ClusterSnapshotTest {

    private static final NodeInfo A = NodeInfo.builder("node-a").zone("zone-1").allocatable("4", "8Gi").build();
    private static final NodeInfo B = NodeInfo.builder("node-b").zone("zone-1").allocatable("4", "8Gi").build();
    private static final NodeInfo C = NodeInfo.builder("node-c").zone("zone-2").allocatable("4", "8Gi").build();

    private static PodInfo web(String name) {
        return PodInfo.builder("default", name).label("app", "web").requests("1", "1Gi").hostPort(HostPort.tcp(8080)).build();
    }

    @Test
    void nodesAreIndexedInNameOrder() {
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(C, A, B), List.of());

        assertThat(snapshot.nodes()).extracting(NodeInfo::name).containsExactly("node-a", "node-b", "node-c");
        assertThat(snapshot.nodes()).extracting(NodeInfo::index).containsExactly(0, 1, 2);
        assertThat(snapshot.indexOf("node-c")).isEqualTo(2);
        assertThat(snapshot.indexOf("node-x")).isEqualTo(-1);
    }

    @Test
    void assumeAccountsAndForgetRestores() {
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(A, B), List.of());

        snapshot.assume(web("web-1"), "node-a");

        NodeInfo a = snapshot.node("node-a").orElseThrow();
        assertThat(a.requested()).isEqualTo(Resources.parse("1", "1Gi"));
        assertThat(a.usedHostPorts()).containsExactly(HostPort.tcp(8080));
        assertThat(a.podCount()).isEqualTo(1);
        assertThat(snapshot.nodeOf("default/web-1")).contains("node-a");
        assertThat(snapshot.podCount()).isEqualTo(1);

        assertThat(snapshot.forget("default/web-1")).isTrue();

        assertThat(snapshot.node("node-a").orElseThrow()).isEqualTo(A.withIndex(0));
        assertThat(snapshot.forget("default/web-1")).as("forgetting twice changes nothing").isFalse();
        assertThat(snapshot.podCount()).isZero();
    }

    @Test
    void aTerminatingPodHoldsItsResourcesButIsNotCountedForSpreading() {
        PodInfo leaving = PodInfo.builder("default", "web-old").label("app", "web").requests("1", "1Gi").terminating(true).build();
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(A, B), List.of(leaving.boundTo("node-a"), web("web-1").boundTo("node-b")));
        TopologyDomains hosts = snapshot.topologyDomains(NodeInfo.LABEL_HOSTNAME);
        int[] counts = new int[hosts.domainCount()];

        snapshot.countMatchingPods("default", LabelSelector.matchLabels(Map.of("app", "web")), hosts, null, counts);

        assertThat(counts[hosts.domainOf(snapshot.indexOf("node-a"))]).isZero();
        assertThat(counts[hosts.domainOf(snapshot.indexOf("node-b"))]).isEqualTo(1);
        assertThat(snapshot.node("node-a").orElseThrow().requested()).isEqualTo(Resources.parse("1", "1Gi"));
        assertThat(snapshot.forget("default/web-old")).isTrue();
        assertThat(snapshot.node("node-a").orElseThrow()).isEqualTo(A.withIndex(0));
    }

    @Test
    void rejectsAssumingAPodTwiceOrOnAnUnknownNode() {
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(A), List.of());
        snapshot.assume(web("web-1"), "node-a");

        assertThatIllegalStateException().isThrownBy(() -> snapshot.assume(web("web-1"), "node-a"));
        assertThatIllegalArgumentException().isThrownBy(() -> snapshot.assume(web("web-2"), "node-x"));
        assertThat(snapshot.node("node-a").orElseThrow().podCount()).isEqualTo(1);
    }

    @Test
    void putNodeUpdatesSpecAndKeepsAccounting() {
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(A, B), List.of(web("web-1").boundTo("node-a")));

        snapshot.putNode(NodeInfo.builder("node-a").zone("zone-2").allocatable("8", "16Gi").unschedulable(true).build());
        snapshot.putNode(NodeInfo.builder("node-0").zone("zone-3").allocatable("2", "2Gi").build());

        NodeInfo a = snapshot.node("node-a").orElseThrow();
        assertThat(a.unschedulable()).isTrue();
        assertThat(a.allocatable()).isEqualTo(Resources.parse("8", "16Gi"));
        assertThat(a.requested()).isEqualTo(Resources.parse("1", "1Gi"));
        assertThat(a.index()).isZero();
        assertThat(snapshot.nodeCount()).isEqualTo(3);
        assertThat(snapshot.node("node-0").orElseThrow().index()).as("joining nodes are appended").isEqualTo(2);
        assertThat(snapshot.nameRank(2)).as("but rank first by name").isZero();
        assertThat(snapshot.topologyDomains(NodeInfo.LABEL_ZONE).value(snapshot.topologyDomains(NodeInfo.LABEL_ZONE).domainOf(0)))
                .isEqualTo("zone-2");
    }

    @Test
    void countsMatchingPodsPerDomainFromTheLabelSetIndex() {
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(A, B, C), List.of(
                web("web-1").boundTo("node-a"), web("web-2").boundTo("node-b"), web("web-3").boundTo("node-c"),
                PodInfo.builder("default", "api-1").label("app", "api").nodeName("node-a").build(),
                PodInfo.builder("other", "web-4").label("app", "web").nodeName("node-c").build()));
        TopologyDomains zones = snapshot.topologyDomains(NodeInfo.LABEL_ZONE);
        LabelSelector webPods = LabelSelector.matchLabels(Map.of("app", "web"));

        int[] perZone = new int[zones.domainCount()];
        int reached = snapshot.countMatchingPods("default", webPods, zones, null, perZone);

        assertThat(reached).isEqualTo(2);
        assertThat(perZone[zones.domainOf(0)]).isEqualTo(2);
        assertThat(perZone[zones.domainOf(2)]).isEqualTo(1);

        snapshot.forget("default/web-1");
        snapshot.assume(web("web-5"), "node-c");
        int[] after = new int[zones.domainCount()];
        snapshot.countMatchingPods("default", webPods, zones, null, after);
        assertThat(after[zones.domainOf(0)]).isEqualTo(1);
        assertThat(after[zones.domainOf(2)]).isEqualTo(2);
    }

    @Test
    void countsOnlyTheGivenNodes() {
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(A, B), List.of(web("web-1").boundTo("node-a"), web("web-2").boundTo("node-b")));
        TopologyDomains zones = snapshot.topologyDomains(NodeInfo.LABEL_ZONE);

        int[] perZone = new int[zones.domainCount()];
        snapshot.countMatchingPods("default", LabelSelector.matchLabels(Map.of("app", "web")), zones,
                snapshot.nodesWhere(node -> node.name().equals("node-b")), perZone);

        assertThat(perZone[zones.domainOf(0)]).isEqualTo(1);
    }

    @Test
    void buildsFromKubernetesObjectsLeavingOutPodsThatTakeNoRoom() {
        Node node = new NodeBuilder().withNewMetadata().withName("worker").endMetadata()
                .withNewStatus().withAllocatable(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi")))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();

        ClusterSnapshot snapshot = ClusterSnapshot.fromKubernetes(List.of(node), List.of(
                pod("running", "worker", "Running"), pod("done", "worker", "Succeeded"), pod("crashed", "worker", "Failed"),
                pod("pending", null, "Pending"), pod("orphan", "gone", "Running")));

        assertThat(snapshot.podCount()).isEqualTo(1);
        assertThat(snapshot.node("worker").orElseThrow().requested()).isEqualTo(Resources.parse("1", "1Gi"));
    }

    private static Pod pod(String name, String nodeName, String phase) {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withNewSpec().withNodeName(nodeName).addNewContainer().withName("c").withNewResources()
                .addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("1Gi")).endResources().endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    @Test
    void nodeDerivedValuesAreRememberedUntilANodeChanges() {
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(A, B), List.of());
        int[] computed = {0};

        snapshot.nodeDerived("key", s -> ++computed[0]);
        snapshot.nodeDerived("key", s -> ++computed[0]);
        snapshot.assume(web("web-1"), "node-a");
        snapshot.nodeDerived("key", s -> ++computed[0]);
        assertThat(computed[0]).as("pods do not invalidate").isEqualTo(1);

        snapshot.putNode(B);
        snapshot.nodeDerived("key", s -> ++computed[0]);
        assertThat(computed[0]).isEqualTo(2);
    }
}
