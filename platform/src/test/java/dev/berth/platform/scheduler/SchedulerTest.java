package dev.berth.platform.scheduler;

import dev.berth.platform.scheduler.Diagnosis.ReasonCount;
import dev.berth.platform.scheduler.PlacementDecision.Failed;
import dev.berth.platform.scheduler.PlacementDecision.Placed;
import dev.berth.platform.scheduler.PlacementDecision.Unschedulable;
import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.framework.FilterPlugin;
import dev.berth.platform.scheduler.framework.PluginRegistry;
import dev.berth.platform.scheduler.framework.Status;
import dev.berth.platform.scheduler.model.LabelSelector;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.Taint;
import dev.berth.platform.scheduler.model.TaintEffect;
import dev.berth.platform.scheduler.model.TopologySpreadConstraint;
import dev.berth.platform.scheduler.model.TopologySpreadConstraint.WhenUnsatisfiable;
import dev.berth.platform.scheduler.plugins.InTreePlugins;
import dev.berth.platform.scheduler.plugins.NodeResourcesLeastAllocated;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.berth.platform.scheduler.Fixtures.node;
import static dev.berth.platform.scheduler.Fixtures.pod;
import static dev.berth.platform.scheduler.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The whole pipeline: preference order, ties, spreading, pending replicas and their reasons. */
class SchedulerTest {

    private static final Scheduler SCHEDULER =
            Scheduler.create(SchedulerProfile.defaultProfile(), InTreePlugins.registry(), NodeSource.inOrder());

    private static ClusterSnapshot withBoundPods(List<NodeInfo.Builder> nodes, PodInfo... bound) {
        return ClusterSnapshot.of(nodes.stream().map(NodeInfo.Builder::build).toList(), List.of(bound));
    }

    private static PodInfo usage(String name, String node, String cpu, String memory) {
        return pod(name, cpu, memory).nodeName(node).build();
    }

    private static String placedNode(PlacementDecision decision) {
        assertThat(decision).isInstanceOf(Placed.class);
        return ((Placed) decision).nodeName();
    }

    /** Schedules and applies each replica in turn, as the core's loop does. */
    private static List<String> placeAll(Scheduler scheduler, ClusterSnapshot snapshot, List<PodInfo> replicas) {
        List<String> nodes = new ArrayList<>();
        for (PodInfo replica : replicas) {
            String node = placedNode(scheduler.schedule(snapshot, replica));
            snapshot.assume(replica, node);
            nodes.add(node);
        }
        return nodes;
    }

    private static final List<NodeInfo.Builder> THREE_NODES_ONE_BUSY_ONE_HALF_BUSY =
            List.of(node("n1", "4", "8Gi"), node("n2", "4", "8Gi"), node("n3", "4", "8Gi"));

    @Test
    void prefersTheLeastAllocatedNode() {
        ClusterSnapshot snapshot = withBoundPods(THREE_NODES_ONE_BUSY_ONE_HALF_BUSY,
                usage("a", "n1", "3", "6Gi"), usage("b", "n3", "2", "4Gi"));

        assertThat(placedNode(SCHEDULER.schedule(snapshot, pod("p", "500m", "1Gi").build()))).isEqualTo("n2");
    }

    @Test
    void binPackingPrefersTheFullestNodeThatFits() {
        ClusterSnapshot snapshot = withBoundPods(THREE_NODES_ONE_BUSY_ONE_HALF_BUSY,
                usage("a", "n1", "3", "6Gi"), usage("b", "n3", "2", "4Gi"));
        Scheduler binPacking = Scheduler.create(SchedulerProfile.binPacking(), InTreePlugins.registry(), NodeSource.inOrder());

        assertThat(placedNode(binPacking.schedule(snapshot, pod("p", "500m", "1Gi").build()))).isEqualTo("n1");
        assertThat(placedNode(binPacking.schedule(snapshot, pod("q", "1500m", "1Gi").build()))).as("n1 lacks cpu").isEqualTo("n3");
    }

    @Test
    void tiesGoToTheSmallestNodeNameWhateverTheVisitingOrder() {
        ClusterSnapshot snapshot = snapshot(node("zeta", "4", "8Gi"), node("alpha", "4", "8Gi"), node("mid", "4", "8Gi"));

        for (long seed = 1; seed <= 20; seed++) {
            Scheduler scheduler = Scheduler.create(SchedulerProfile.defaultProfile(), InTreePlugins.registry(), NodeSource.shuffled(seed));
            assertThat(placedNode(scheduler.schedule(snapshot, pod("p", "1", "1Gi").build()))).isEqualTo("alpha");
        }
    }

    @Test
    void prefersNodesWithoutPreferNoScheduleTaints() {
        ClusterSnapshot snapshot = snapshot(node("a", "4", "8Gi").taint(Taint.of("spot", "true", TaintEffect.PREFER_NO_SCHEDULE)),
                node("b", "4", "8Gi"));

        assertThat(placedNode(SCHEDULER.schedule(snapshot, pod("p", "1", "1Gi").build()))).isEqualTo("b");
    }

    /** z1 is eight times bigger, so resource scores alone would put every replica there. */
    private static ClusterSnapshot threeZonesOneBigNode() {
        return snapshot(node("z1", "64", "256Gi").zone("zone-a"), node("z2", "8", "32Gi").zone("zone-b"), node("z3", "8", "32Gi").zone("zone-c"));
    }

    private static List<PodInfo> replicas(int count, PodInfo.Builder template) {
        List<PodInfo> replicas = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            replicas.add(template.name("web-" + i).build());
        }
        return replicas;
    }

    @Test
    void spreadsADeploymentOnePerNodeOverThreeZonesByDefault() {
        PodInfo.Builder web = pod("web", "500m", "1Gi").labels(Map.of("app", "web", "pod-template-hash", "5d9c"));

        assertThat(placeAll(SCHEDULER, threeZonesOneBigNode(), replicas(3, web))).containsExactly("z1", "z2", "z3");
    }

    @Test
    void spreadsWithAnExplicitZoneConstraint() {
        PodInfo.Builder web = pod("web", "500m", "1Gi").label("app", "web").spread(new TopologySpreadConstraint(1, NodeInfo.LABEL_ZONE,
                WhenUnsatisfiable.DO_NOT_SCHEDULE, LabelSelector.matchLabels(Map.of("app", "web"))));

        assertThat(placeAll(SCHEDULER, threeZonesOneBigNode(), replicas(6, web))).containsExactlyInAnyOrder("z1", "z1", "z2", "z2", "z3", "z3");
    }

    @Test
    void pendingReplicaGetsKubeSchedulerReasons() {
        ClusterSnapshot snapshot = snapshot(node("small-1", "4", "1Gi"), node("small-2", "4", "1Gi"),
                node("infra", "4", "16Gi").taint(Taint.of("dedicated", "infra", TaintEffect.NO_SCHEDULE)));

        PlacementDecision decision = SCHEDULER.schedule(snapshot, pod("p", "500m", "2Gi").build());

        assertThat(decision).isInstanceOf(Unschedulable.class);
        Diagnosis diagnosis = ((Unschedulable) decision).diagnosis();
        assertThat(diagnosis.message())
                .isEqualTo("0/3 nodes are available: 2 Insufficient memory, 1 node(s) had untolerated taint {dedicated: infra}.");
        assertThat(diagnosis.totalNodes()).isEqualTo(3);
        assertThat(diagnosis.reasons()).containsExactly(new ReasonCount("Insufficient memory", 2),
                new ReasonCount("node(s) had untolerated taint {dedicated: infra}", 1));
    }

    @Test
    void eachNodeReportsTheFirstFilterItFails() {
        ClusterSnapshot snapshot = snapshot(node("cordoned", "4", "8Gi").unschedulable(true), node("plain", "4", "8Gi"));

        PlacementDecision decision = SCHEDULER.schedule(snapshot, pod("p", "1", "1Gi").nodeSelector("disktype", "ssd").build());

        assertThat(((Unschedulable) decision).diagnosis().message()).isEqualTo(
                "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable.");
    }

    @Test
    void pendingOnSpreadAndResourcesTogether() {
        ClusterSnapshot snapshot = snapshot(node("a", "4", "8Gi").zone("zone-a"), node("b", "1", "8Gi").zone("zone-b"));
        PodInfo.Builder web = pod("web", "2", "1Gi").label("app", "web").spread(new TopologySpreadConstraint(1, NodeInfo.LABEL_ZONE,
                WhenUnsatisfiable.DO_NOT_SCHEDULE, LabelSelector.matchLabels(Map.of("app", "web"))));

        assertThat(placeAll(SCHEDULER, snapshot, replicas(1, web))).containsExactly("a");
        PlacementDecision second = SCHEDULER.schedule(snapshot, web.name("web-1").build());

        assertThat(((Unschedulable) second).diagnosis().message()).isEqualTo(
                "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match pod topology spread constraints.");
    }

    @Test
    void pendingReplicaIsPlacedOnceCapacityIsFreed() {
        ClusterSnapshot snapshot = withBoundPods(List.of(node("only", "2", "4Gi")), usage("old", "only", "2", "1Gi"));
        PodInfo replica = pod("new", "2", "1Gi").build();

        assertThat(((Unschedulable) SCHEDULER.schedule(snapshot, replica)).diagnosis().message())
                .isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");

        snapshot.forget("default/old");

        assertThat(placedNode(SCHEDULER.schedule(snapshot, replica))).isEqualTo("only");
    }

    @Test
    void stopsFilteringOnceEnoughFeasibleNodesAreFound() {
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            nodes.add(NodeInfo.builder(String.format("node-%04d", i)).allocatable("4", "8Gi").build());
        }
        ClusterSnapshot snapshot = ClusterSnapshot.of(nodes, List.of());

        Placed adaptive = (Placed) SCHEDULER.schedule(snapshot, pod("p", "1", "1Gi").build());
        Placed all = (Placed) Scheduler.create(SchedulerProfile.defaultProfile().withPercentageOfNodesToScore(100),
                InTreePlugins.registry(), NodeSource.inOrder()).schedule(snapshot, pod("p", "1", "1Gi").build());

        assertThat(adaptive.feasibleNodes()).isEqualTo(420);
        assertThat(adaptive.evaluatedNodes()).isEqualTo(420);
        assertThat(all.feasibleNodes()).isEqualTo(1000);
    }

    @Test
    void theSameSeedGivesTheSameDecisions() {
        List<PodInfo> replicas = SyntheticCluster.replicas(500, 3, 1.0);

        List<String> first = placeAll(Scheduler.withDefaults(5), ClusterSnapshot.of(SyntheticCluster.nodes(300, 1), List.of()), replicas);
        List<String> again = placeAll(Scheduler.withDefaults(5), ClusterSnapshot.of(SyntheticCluster.nodes(300, 1), List.of()), replicas);

        assertThat(again).isEqualTo(first);
    }

    @Test
    void aFailingPluginFailsTheDecision() {
        PluginRegistry registry = InTreePlugins.registry().register("Broken", () -> new FilterPlugin() {
            @Override
            public String name() {
                return "Broken";
            }

            @Override
            public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
                return Status.error("Broken", "lost its marbles");
            }
        });
        SchedulerProfile profile = SchedulerProfile.defaultProfile();
        List<String> filters = new ArrayList<>(profile.filters());
        filters.add("Broken");
        Scheduler scheduler = Scheduler.create(new SchedulerProfile("berth", filters, profile.scores(), 0), registry, NodeSource.inOrder());

        PlacementDecision decision = scheduler.schedule(snapshot(node("n", "4", "8Gi")), pod("p", "1", "1Gi").build());

        assertThat(decision).isEqualTo(new Failed(pod("p", "1", "1Gi").build(), Status.error("Broken", "lost its marbles")));
    }

    @Test
    void rejectsProfilesNamingUnknownOrMisplacedPlugins() {
        assertThatIllegalArgumentException().isThrownBy(() -> Scheduler.create(
                new SchedulerProfile("berth", List.of("Nope"), List.of(), 0), InTreePlugins.registry(), NodeSource.inOrder()));
        assertThatIllegalArgumentException().isThrownBy(() -> Scheduler.create(
                        new SchedulerProfile("berth", List.of(NodeResourcesLeastAllocated.NAME), List.of(), 0), InTreePlugins.registry(),
                        NodeSource.inOrder()))
                .withMessageContaining("is not a FilterPlugin");
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerProfile.defaultProfile().withScore("TaintToleration", 0));
    }

    @Test
    void refusesAPodThatIsAlreadyBound() {
        assertThatIllegalArgumentException().isThrownBy(() ->
                SCHEDULER.schedule(snapshot(node("n", "4", "8Gi")), pod("p", "1", "1Gi").nodeName("n").build()));
    }

    @Test
    void anEmptyClusterPlacesNothing() {
        PlacementDecision decision = SCHEDULER.schedule(ClusterSnapshot.of(List.of(), List.of()), pod("p", "1", "1Gi").build());

        assertThat(((Unschedulable) decision).diagnosis().message()).isEqualTo("no nodes available to schedule pods");
    }
}
