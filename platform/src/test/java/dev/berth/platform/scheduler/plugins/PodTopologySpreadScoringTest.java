package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.KubeObjects;
import dev.berth.platform.scheduler.KubeObjects.MakePod;
import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.berth.platform.scheduler.KubeObjects.exists;
import static dev.berth.platform.scheduler.KubeObjects.labelledNode;
import static dev.berth.platform.scheduler.KubeObjects.labelledPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * kube-scheduler's {@code podtopologyspread/scoring_test.go} TestPodTopologySpreadScore: pre-score over the candidate
 * nodes, score, normalise; the nodes that failed filtering are in the cluster but not scored.
 *
 * <p>Skipped by design (Berth does not model them): "minDomains has no effect when ScheduleAnyway" (minDomains),
 * "NodeAffinityPolicy ignored with labelSelectors", "NodeAffinityPolicy ignored with nodeAffinity", "NodeTaintsPolicy
 * honored" (only the default policies, Honor for affinity and Ignore for taints, are modelled), "matchLabelKeys ignored
 * when feature gate disabled" (Berth always merges matchLabelKeys, the gate's default); TestPreScoreStateEmptyNodes and
 * TestPreScoreSkip compare upstream's internal pre-score state.
 */
class PodTopologySpreadScoringTest {

    private static final String HOSTNAME = NodeInfo.LABEL_HOSTNAME;
    private static final String SCHEDULE_ANYWAY = "ScheduleAnyway";

    private static Node host(String name) {
        return labelledNode(name, HOSTNAME, name);
    }

    private static Node zoned(String name, String zone) {
        return labelledNode(name, "zone", zone, HOSTNAME, name);
    }

    private static Pod existing(String name, String node, String... labelKeys) {
        return labelledPod(name, labelKeys).node(node).obj();
    }

    /** {@code count} pods labelled foo on {@code node}, named {@code p-<node letter><i>}. */
    private static List<Pod> foos(String node, int count) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            pods.add(existing("p-" + node.substring(node.length() - 1) + i, node, "foo"));
        }
        return pods;
    }

    @SafeVarargs
    private static List<Pod> pods(List<Pod>... groups) {
        return Stream.of(groups).flatMap(List::stream).toList();
    }

    private static MakePod onHostname(int maxSkew) {
        return labelledPod("p", "foo").spread(maxSkew, HOSTNAME, SCHEDULE_ANYWAY, "foo");
    }

    private static MakePod zoneFooHostBar() {
        return labelledPod("p", "foo", "bar").spread(1, "zone", SCHEDULE_ANYWAY, "foo").spread(1, HOSTNAME, SCHEDULE_ANYWAY, "bar");
    }

    /** The zone/host layout of "two Constraints on zone and node, with different labelSelectors". */
    private static List<Pod> fooBarLayout() {
        return List.of(existing("p-a1", "node-a", "foo"), existing("p-b1", "node-b", "foo", "bar"),
                existing("p-y1", "node-y", "foo"), existing("p-y2", "node-y", "bar"));
    }

    static Stream<Arguments> upstreamCases() {
        String t = "scoring_test.go TestPodTopologySpreadScore: ";
        List<Node> abcd = List.of(host("node-a"), host("node-b"), host("node-c"), host("node-d"));
        List<Pod> spread2103 = pods(foos("node-a", 2), foos("node-b", 1), foos("node-d", 3));
        List<Pod> spread4321 = pods(foos("node-a", 4), foos("node-b", 3), foos("node-c", 2), foos("node-d", 1));
        List<Pod> spread421and3 = pods(foos("node-a", 4), foos("node-b", 2), foos("node-x", 1), foos("node-y", 3));
        List<Node> zonesAbxy = List.of(zoned("node-a", "zone1"), zoned("node-b", "zone1"), zoned("node-x", "zone2"), zoned("node-y", "zone2"));
        List<Node> nodeLabelled = List.of(labelledNode("node-a", "node", "node-a", "foo", ""),
                labelledNode("node-b", "node", "node-b", "foo", ""), labelledNode("node-c", "node", "node-c"));
        List<Pod> spread211 = List.of(existing("p-a1", "node-a", "foo"), existing("p-a2", "node-a", "foo"),
                existing("p-b1", "node-b", "foo"), existing("p-c1", "node-c", "foo"));
        LabelSelector empty = new LabelSelector();
        return Stream.of(
                arguments(t + "one constraint on node, no existing pods", onHostname(1),
                        List.of(host("node-a"), host("node-b")), List.of(), List.of(), List.of(100L, 100L)),
                arguments(t + "one constraint on node, only one node is candidate", onHostname(1),
                        List.of(host("node-a")), List.of(host("node-b")), pods(foos("node-a", 2), foos("node-b", 1)), List.of(100L)),
                arguments(t + "one constraint on node, all nodes have the same number of matching pods", onHostname(1),
                        List.of(host("node-a"), host("node-b")), List.of(), pods(foos("node-a", 1), foos("node-b", 1)),
                        List.of(100L, 100L)),
                arguments(t + "one constraint on node, all 4 nodes are candidates", onHostname(1), abcd, List.of(), spread2103,
                        List.of(20L, 60L, 100L, 0L)),
                arguments(t + "one constraint on node, null selector",
                        labelledPod("p", "foo").spread(1, HOSTNAME, SCHEDULE_ANYWAY, null, List.of()), abcd, List.of(), spread2103,
                        List.of(100L, 100L, 100L, 100L)),
                arguments(t + "one constraint on node, all 4 nodes are candidates, maxSkew=2", onHostname(2), abcd, List.of(), spread2103,
                        List.of(33L, 66L, 100L, 16L)),
                arguments(t + "one constraint on node, all 4 nodes are candidates, maxSkew=3", onHostname(3), abcd, List.of(), spread4321,
                        List.of(44L, 66L, 77L, 100L)),
                // Berth's system default selects the pod's template labels rather than its Services' selectors; here both are foo
                arguments(t + "system defaulting, nodes don't have zone, pods match service", labelledPod("p", "foo"), abcd, List.of(),
                        spread4321, List.of(44L, 66L, 77L, 100L)),
                arguments(t + "one constraint on node, 3 out of 4 nodes are candidates", onHostname(1),
                        List.of(host("node-a"), host("node-b"), host("node-x")), List.of(host("node-y")), spread421and3,
                        List.of(33L, 83L, 100L)),
                // Deliberate: upstream's node-b lacks kubernetes.io/hostname and scores 0 (a: 16); Berth's conversion always
                // labels a node with its hostname, as every kubelet does, so node-b counts as in the row above.
                arguments(t + "one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key",
                        onHostname(1), List.of(host("node-a"), labelledNode("node-b", "n", "node-b"), host("node-x")),
                        List.of(host("node-y")), spread421and3, List.of(33L, 83L, 100L)),
                arguments(t + "one constraint on zone, 3 out of 4 nodes are candidates",
                        labelledPod("p", "foo").spread(1, "zone", SCHEDULE_ANYWAY, "foo"),
                        zonesAbxy.subList(0, 3), zonesAbxy.subList(3, 4), spread421and3, List.of(75L, 75L, 100L)),
                arguments(t + "two Constraints on zone and node, 2 out of 4 nodes are candidates",
                        labelledPod("p", "foo").spread(1, "zone", SCHEDULE_ANYWAY, "foo").spread(1, HOSTNAME, SCHEDULE_ANYWAY, "foo"),
                        List.of(zonesAbxy.get(0), zonesAbxy.get(2)), List.of(zonesAbxy.get(1), zonesAbxy.get(3)),
                        pods(foos("node-a", 2), foos("node-b", 1), foos("node-x", 2), foos("node-y", 4)), List.of(100L, 63L)),
                arguments(t + "two Constraints on zone and node, with different labelSelectors", zoneFooHostBar(),
                        zonesAbxy, List.of(), fooBarLayout(), List.of(60L, 20L, 100L, 60L)),
                arguments(t + "two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods", zoneFooHostBar(),
                        zonesAbxy, List.of(), List.of(existing("p-b1", "node-b", "bar"), existing("p-x1", "node-x", "foo"),
                                existing("p-y1", "node-y", "foo", "bar")), List.of(100L, 60L, 40L, 0L)),
                arguments(t + "two Constraints on zone and node, with different labelSelectors, 3 out of 4 nodes are candidates",
                        zoneFooHostBar(), zonesAbxy.subList(0, 3), zonesAbxy.subList(3, 4), fooBarLayout(), List.of(50L, 25L, 100L)),
                arguments(t + "existing pods in a different namespace do not count", onHostname(1),
                        List.of(host("node-a"), host("node-b")), List.of(),
                        List.of(labelledPod("p-a1", "foo").namespace("ns1").node("node-a").obj(), existing("p-a2", "node-a", "foo"),
                                existing("p-b1", "node-b", "foo"), existing("p-b2", "node-b", "foo")), List.of(100L, 33L)),
                arguments(t + "terminating Pods should be excluded", onHostname(1), List.of(host("node-a"), host("node-b")), List.of(),
                        List.of(labelledPod("p-a", "foo").node("node-a").terminating().obj(), existing("p-b", "node-b", "foo")),
                        List.of(100L, 0L)),
                arguments(t + "NodeAffinityPolicy honoed with labelSelectors",
                        labelledPod("p", "foo").nodeSelector("foo", "").spread(1, "node", SCHEDULE_ANYWAY, "foo"),
                        nodeLabelled, List.of(), spread211, List.of(0L, 33L, 100L)),
                arguments(t + "NodeAffinityPolicy honoed with nodeAffinity",
                        labelledPod("p", "foo").nodeAffinityIn("foo", "").spread(1, "node", SCHEDULE_ANYWAY, "foo"),
                        nodeLabelled, List.of(), spread211, List.of(0L, 33L, 100L)),
                arguments(t + "NodeTaintsPolicy ignored", labelledPod("p", "foo").spread(1, "node", SCHEDULE_ANYWAY, "foo"),
                        List.of(labelledNode("node-a", "node", "node-a"), labelledNode("node-b", "node", "node-b"),
                                KubeObjects.node("node-c").label("node", "node-c").taint("node.kubernetes.io/unschedulable", null, "NoSchedule").obj()),
                        List.of(), spread211, List.of(66L, 100L, 100L)),
                arguments(t + "matchLabelKeys ANDed with LabelSelector when LabelSelector is empty",
                        labelledPod("p", "foo", "bar").spread(1, "zone", SCHEDULE_ANYWAY, empty, List.of("foo"))
                                .spread(1, HOSTNAME, SCHEDULE_ANYWAY, empty, List.of("bar")),
                        List.of(zoned("node-a", "zone1"), zoned("node-b", "zone1"), zoned("node-c", "zone2"), zoned("node-d", "zone2")),
                        List.of(), List.of(existing("p-a1", "node-a", "foo"), existing("p-b1", "node-b", "foo", "bar"),
                                existing("p-y1", "node-c", "foo"), existing("p-y2", "node-c", "bar")), List.of(60L, 20L, 60L, 100L)),
                arguments(t + "matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty",
                        labelledPod("p", "foo", "bar", "baz").spread(1, "zone", SCHEDULE_ANYWAY, "foo")
                                .spread(1, HOSTNAME, SCHEDULE_ANYWAY, exists("bar"), List.of("baz")),
                        List.of(zoned("node-a", "zone1"), zoned("node-b", "zone1"), zoned("node-c", "zone2"), zoned("node-d", "zone2")),
                        List.of(), List.of(existing("p-a1", "node-a", "foo"), existing("p-b1", "node-b", "foo", "bar", "baz"),
                                existing("p-c1", "node-c", "foo"), existing("p-c2", "node-c", "bar"), existing("p-d3", "node-c", "bar", "baz")),
                        List.of(60L, 20L, 60L, 100L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamCases")
    void upstream(String upstreamCase, MakePod incoming, List<Node> candidates, List<Node> failed, List<Pod> existing,
                  List<Long> expected) {
        ClusterSnapshot snapshot = KubeObjects.snapshot(Stream.concat(candidates.stream(), failed.stream()).toList(), existing);
        List<NodeInfo> feasible = candidates.stream().map(n -> snapshot.node(n.getMetadata().getName()).orElseThrow()).toList();
        PodInfo pod = incoming.info();
        PodTopologySpread plugin = new PodTopologySpread();
        CycleState state = new CycleState(snapshot);

        assertThat(plugin.preScore(state, pod, feasible).isSuccess()).isTrue();
        long[] scores = feasible.stream().mapToLong(node -> plugin.score(state, pod, node)).toArray();
        assertThat(plugin.normalizeScore(state, pod, scores).isSuccess()).isTrue();
        assertThat(scores).containsExactly(expected.stream().mapToLong(Long::longValue).toArray());
    }
}
