package dev.berth.platform.scheduler;

import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.TopologySpreadConstraint;
import dev.berth.platform.scheduler.plugins.NodeAffinity;
import dev.berth.platform.scheduler.plugins.NodePorts;
import dev.berth.platform.scheduler.plugins.NodeResourcesFit;
import dev.berth.platform.scheduler.plugins.NodeUnschedulable;
import dev.berth.platform.scheduler.plugins.TaintToleration;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 150,000 replicas placed one by one over 5,000 generated nodes, the snapshot updated after each
 * placement as the core does. Requests are scaled so the cluster runs full and the last few thousand
 * replicas stay pending. Every placement is re-checked against the filters with state the test keeps
 * itself; at the end no node may be overcommitted.
 */
class PlacementPropertyTest {

    private static final int NODES = 5_000;
    private static final int REPLICAS = 150_000;
    /** Requests 15 % above the generator's sizes: about 7 % of the replicas find no room. */
    private static final double REQUEST_SCALE = 1.15;

    @Test
    void placementsNeverOvercommitAndAlwaysSatisfyTheirFilters() {
        List<NodeInfo> nodes = SyntheticCluster.nodes(NODES, 42);
        List<PodInfo> replicas = SyntheticCluster.replicas(REPLICAS, 7, REQUEST_SCALE);
        ClusterSnapshot snapshot = ClusterSnapshot.of(nodes, List.of());
        Scheduler scheduler = Scheduler.withDefaults(2024);

        // the test's own books, independent of the snapshot
        Map<String, NodeInfo> original = new HashMap<>();
        nodes.forEach(node -> original.put(node.name(), node));
        Map<String, long[]> used = new HashMap<>();
        Map<String, int[]> podsPerZoneByApp = new HashMap<>();
        List<String> violations = new ArrayList<>();
        int placed = 0;
        int pending = 0;

        for (PodInfo pod : replicas) {
            PlacementDecision decision = scheduler.schedule(snapshot, pod);
            if (decision instanceof PlacementDecision.Unschedulable unschedulable) {
                pending++;
                if (!unschedulable.diagnosis().message().startsWith("0/5000 nodes are available: ")) {
                    violations.add(pod.key() + ": " + unschedulable.diagnosis().message());
                }
                continue;
            }
            String nodeName = ((PlacementDecision.Placed) decision).nodeName();
            NodeInfo node = snapshot.node(nodeName).orElseThrow();
            checkFilters(pod, node, violations);

            long[] usage = used.computeIfAbsent(nodeName, name -> new long[2]);
            usage[0] += pod.requests().milliCpu();
            usage[1] += pod.requests().memoryBytes();
            NodeInfo spec = original.get(nodeName);
            if (usage[0] > spec.allocatable().milliCpu() || usage[1] > spec.allocatable().memoryBytes()) {
                violations.add(pod.key() + " overcommits " + nodeName);
            }
            checkZoneSpread(pod, node, podsPerZoneByApp, violations);

            snapshot.assume(pod, nodeName);
            placed++;
        }

        assertThat(violations).isEmpty();
        assertThat(placed + pending).isEqualTo(REPLICAS);
        assertThat(placed).as("most replicas fit").isGreaterThan(REPLICAS * 9 / 10);
        assertThat(pending).as("the cluster runs full, so some stay pending").isGreaterThan(1_000);
        for (NodeInfo node : snapshot.nodes()) {
            long[] usage = used.getOrDefault(node.name(), new long[2]);
            assertThat(node.requested().milliCpu()).isEqualTo(usage[0]).isLessThanOrEqualTo(node.allocatable().milliCpu());
            assertThat(node.requested().memoryBytes()).isEqualTo(usage[1]).isLessThanOrEqualTo(node.allocatable().memoryBytes());
        }
    }

    private static void checkFilters(PodInfo pod, NodeInfo node, List<String> violations) {
        if (!NodeUnschedulable.admits(node, pod.tolerations()).isSuccess()) {
            violations.add(pod.key() + " on cordoned/NotReady " + node.name());
        }
        if (TaintToleration.firstUntoleratedTaint(node.taints(), pod.tolerations()) != null) {
            violations.add(pod.key() + " on untolerated taint of " + node.name());
        }
        if (!NodeAffinity.matches(pod.nodeSelector(), pod.requiredNodeAffinity(), node)) {
            violations.add(pod.key() + " breaks its node selector on " + node.name());
        }
        if (!NodePorts.fits(pod.hostPorts(), node.usedHostPorts())) {
            violations.add(pod.key() + " host port clash on " + node.name());
        }
        if (!NodeResourcesFit.fitsRequest(pod.requests(), node).isSuccess()) {
            violations.add(pod.key() + " does not fit " + node.name());
        }
    }

    /** Zone constraints in the generator are maxSkew 1 over all three zones (those pods have no node selector). */
    private static void checkZoneSpread(PodInfo pod, NodeInfo node, Map<String, int[]> podsPerZoneByApp, List<String> violations) {
        for (TopologySpreadConstraint constraint : pod.topologySpreadConstraints()) {
            if (!constraint.isHard()) {
                continue;
            }
            int[] perZone = podsPerZoneByApp.computeIfAbsent(pod.namespace() + "/" + pod.labels().get("app"), app -> new int[3]);
            int zone = List.of(SyntheticCluster.ZONES).indexOf(node.zone());
            perZone[zone]++;
            int min = Math.min(perZone[0], Math.min(perZone[1], perZone[2]));
            int max = Math.max(perZone[0], Math.max(perZone[1], perZone[2]));
            if (max - min > constraint.maxSkew()) {
                violations.add(pod.key() + " skews zones to " + perZone[0] + "/" + perZone[1] + "/" + perZone[2]);
            }
        }
    }
}
