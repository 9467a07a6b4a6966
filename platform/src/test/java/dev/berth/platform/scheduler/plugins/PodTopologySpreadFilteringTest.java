package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.KubeObjects;
import dev.berth.platform.scheduler.KubeObjects.MakePod;
import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.framework.Status;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.berth.platform.scheduler.KubeObjects.labelledNode;
import static dev.berth.platform.scheduler.KubeObjects.labelledPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * kube-scheduler's {@code podtopologyspread/filtering_test.go} tables TestSingleConstraint and TestMultipleConstraints:
 * the status code of the filter on every node. Upstream runs the filter alone (no NodeAffinity filter), so a node the
 * pod's affinity excludes can still pass here ("in real case, it's false").
 *
 * <p>Skipped by design: TestPreFilterState compares upstream's internal pre-filter state (Berth's is laid out
 * differently; its outcome is what these tables check); the rows and tables about {@code minDomains},
 * {@code nodeAffinityPolicy}/{@code nodeTaintsPolicy} other than the defaults, {@code matchLabelKeys} merged at
 * pre-filter and incremental {@code AddPod}/{@code RemovePod} (preemption): Berth does not model them.
 */
class PodTopologySpreadFilteringTest {

    private static final String DO_NOT_SCHEDULE = "DoNotSchedule";
    private static final Status.Code OK = Status.Code.SUCCESS;
    private static final Status.Code SKEW = Status.Code.UNSCHEDULABLE;
    private static final Status.Code MISSING = Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE;

    /** node-a, node-b in zone1 and node-x, node-y in zone2, each also labelled {@code node=<name>}. */
    private static List<Node> fourNodes() {
        return List.of(labelledNode("node-a", "zone", "zone1", "node", "node-a"), labelledNode("node-b", "zone", "zone1", "node", "node-b"),
                labelledNode("node-x", "zone", "zone2", "node", "node-x"), labelledNode("node-y", "zone", "zone2", "node", "node-y"));
    }

    private static MakePod existing(String name, String node, String... labelKeys) {
        return labelledPod(name, labelKeys).node(node);
    }

    /** The spread 2/1/0/3 over node-a, node-b, node-x, node-y (zones 3/3) of pods labelled foo. */
    private static List<Pod> spread2103() {
        return List.of(existing("p-a1", "node-a", "foo").obj(), existing("p-a2", "node-a", "foo").obj(),
                existing("p-b1", "node-b", "foo").obj(), existing("p-y1", "node-y", "foo").obj(),
                existing("p-y2", "node-y", "foo").obj(), existing("p-y3", "node-y", "foo").obj());
    }

    private static MakePod incoming(String... labelKeys) {
        return labelledPod("p", labelKeys);
    }

    private static Map<String, Status.Code> codes(Object... nodeAndCode) {
        Map<String, Status.Code> codes = new LinkedHashMap<>();
        for (int i = 0; i < nodeAndCode.length; i += 2) {
            codes.put((String) nodeAndCode[i], (Status.Code) nodeAndCode[i + 1]);
        }
        return codes;
    }

    static Stream<Arguments> singleConstraint() {
        String t = "filtering_test.go TestSingleConstraint: ";
        return Stream.of(
                arguments(t + "no existing pods", incoming("foo").spread(1, "zone", DO_NOT_SCHEDULE, "foo"), fourNodes(), List.of(),
                        codes("node-a", OK, "node-b", OK, "node-x", OK, "node-y", OK)),
                arguments(t + "no existing pods, incoming pod doesn't match itself", incoming("foo").spread(1, "zone", DO_NOT_SCHEDULE, "bar"),
                        fourNodes(), List.of(), codes("node-a", OK, "node-b", OK, "node-x", OK, "node-y", OK)),
                arguments(t + "existing pods in a different namespace do not count", incoming("foo").spread(1, "zone", DO_NOT_SCHEDULE, "foo"),
                        fourNodes(), List.of(existing("p-a1", "node-a", "foo").namespace("ns1").obj(),
                                existing("p-b1", "node-a", "foo").namespace("ns2").obj(),
                                existing("p-x1", "node-x", "foo").obj(), existing("p-y1", "node-y", "foo").obj()),
                        codes("node-a", OK, "node-b", OK, "node-x", SKEW, "node-y", SKEW)),
                arguments(t + "pods spread across zones as 3/3, all nodes fit", incoming("foo").spread(1, "zone", DO_NOT_SCHEDULE, "foo"),
                        fourNodes(), spread2103(), codes("node-a", OK, "node-b", OK, "node-x", OK, "node-y", OK)),
                arguments(t + "pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
                        incoming("foo").spread(1, "zone", DO_NOT_SCHEDULE, "foo"),
                        List.of(labelledNode("node-a", "zone", "zone1", "node", "node-a"), labelledNode("node-b", "zon", "zone1", "node", "node-b"),
                                labelledNode("node-x", "zone", "zone2", "node", "node-x"), labelledNode("node-y", "zone", "zone2", "node", "node-y")),
                        List.of(existing("p-a1", "node-a", "foo").obj(), existing("p-b1", "node-b", "foo").obj(),
                                existing("p-x1", "node-x", "foo").obj(), existing("p-y1", "node-y", "foo").obj()),
                        codes("node-a", OK, "node-b", MISSING, "node-x", SKEW, "node-y", SKEW)),
                arguments(t + "pod cannot be scheduled as all nodes don't have label 'rack'",
                        incoming("foo").spread(1, "rack", DO_NOT_SCHEDULE, "foo"),
                        List.of(labelledNode("node-a", "zone", "zone1", "node", "node-a"), labelledNode("node-x", "zone", "zone2", "node", "node-x")),
                        List.of(), codes("node-a", MISSING, "node-x", MISSING)),
                arguments(t + "pods spread across nodes as 2/1/0/3, only node-x fits", incoming("foo").spread(1, "node", DO_NOT_SCHEDULE, "foo"),
                        fourNodes(), spread2103(), codes("node-a", SKEW, "node-b", SKEW, "node-x", OK, "node-y", SKEW)),
                arguments(t + "pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit",
                        incoming("foo").spread(2, "node", DO_NOT_SCHEDULE, "foo"),
                        fourNodes(), spread2103(), codes("node-a", SKEW, "node-b", OK, "node-x", OK, "node-y", SKEW)),
                arguments(t + "pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
                        incoming("bar").spread(1, "node", DO_NOT_SCHEDULE, "foo"),
                        fourNodes(), spread2103(), codes("node-a", SKEW, "node-b", OK, "node-x", OK, "node-y", SKEW)),
                arguments(t + "incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits",
                        incoming("foo").nodeAffinityIn("node", "node-a", "node-y").spread(1, "node", DO_NOT_SCHEDULE, "foo"),
                        fourNodes(), spread2103(), codes("node-a", OK, "node-b", OK, "node-x", OK, "node-y", SKEW)),
                arguments(t + "terminating Pods should be excluded", incoming("foo").spread(1, "node", DO_NOT_SCHEDULE, "foo"),
                        List.of(labelledNode("node-a", "node", "node-a"), labelledNode("node-b", "node", "node-b")),
                        List.of(existing("p-a", "node-a", "foo").terminating().obj(), existing("p-b", "node-b", "foo").obj()),
                        codes("node-a", OK, "node-b", SKEW)));
    }

    static Stream<Arguments> multipleConstraints() {
        String t = "filtering_test.go TestMultipleConstraints: ";
        return Stream.of(
                arguments(t + "two Constraints on zone and node, spreads = [3/3, 2/1/0/3]",
                        incoming("foo").spread(1, "zone", DO_NOT_SCHEDULE, "foo").spread(1, "node", DO_NOT_SCHEDULE, "foo"),
                        fourNodes(), spread2103(), codes("node-a", SKEW, "node-b", SKEW, "node-x", OK, "node-y", SKEW)),
                arguments(t + "two Constraints on zone and node, spreads = [3/4, 2/1/0/4]",
                        incoming("foo").spread(1, "zone", DO_NOT_SCHEDULE, "foo").spread(1, "node", DO_NOT_SCHEDULE, "foo"),
                        fourNodes(), Stream.concat(spread2103().stream(), Stream.of(existing("p-y4", "node-y", "foo").obj())).toList(),
                        codes("node-a", SKEW, "node-b", SKEW, "node-x", SKEW, "node-y", SKEW)),
                arguments(t + "Constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]",
                        incoming("foo", "bar").spread(1, "zone", DO_NOT_SCHEDULE, "foo").spread(1, "node", DO_NOT_SCHEDULE, "bar"),
                        fourNodes(), List.of(existing("p-a1", "node-a", "foo").obj(), existing("p-y1", "node-y", "bar").obj()),
                        codes("node-a", SKEW, "node-b", SKEW, "node-x", OK, "node-y", SKEW)),
                arguments(t + "Constraints hold different labelSelectors, spreads = [1/0, 0/0/1/1]",
                        incoming("foo", "bar").spread(1, "zone", DO_NOT_SCHEDULE, "foo").spread(1, "node", DO_NOT_SCHEDULE, "bar"),
                        fourNodes(), List.of(existing("p-a1", "node-a", "foo").obj(), existing("p-x1", "node-x", "bar").obj(),
                                existing("p-y1", "node-y", "bar").obj()),
                        codes("node-a", SKEW, "node-b", SKEW, "node-x", SKEW, "node-y", SKEW)),
                arguments(t + "Constraints hold different labelSelectors, spreads = [2/3, 1/0/0/1]",
                        incoming("foo", "bar").spread(1, "zone", DO_NOT_SCHEDULE, "foo").spread(1, "node", DO_NOT_SCHEDULE, "bar"),
                        fourNodes(), List.of(existing("p-a1", "node-a", "foo").obj(), existing("p-a2", "node-a", "foo", "bar").obj(),
                                existing("p-y1", "node-y", "foo").obj(), existing("p-y2", "node-y", "foo", "bar").obj(),
                                existing("p-y3", "node-y", "foo").obj()),
                        codes("node-a", SKEW, "node-b", OK, "node-x", SKEW, "node-y", SKEW)),
                arguments(t + "Constraints hold different labelSelectors but pod doesn't match itself on 'zone' constraint",
                        incoming("bar").spread(1, "zone", DO_NOT_SCHEDULE, "foo").spread(1, "node", DO_NOT_SCHEDULE, "bar"),
                        fourNodes(), List.of(existing("p-a1", "node-a", "foo").obj(), existing("p-x1", "node-x", "bar").obj(),
                                existing("p-y1", "node-y", "bar").obj()),
                        codes("node-a", OK, "node-b", OK, "node-x", SKEW, "node-y", SKEW)),
                arguments(t + "two Constraints on zone and node, absence of label 'node' on node-x, spreads = [1/1, 1/0/0/1]",
                        incoming("foo").spread(1, "zone", DO_NOT_SCHEDULE, "foo").spread(1, "node", DO_NOT_SCHEDULE, "foo"),
                        List.of(labelledNode("node-a", "zone", "zone1", "node", "node-a"), labelledNode("node-b", "zone", "zone1", "node", "node-b"),
                                labelledNode("node-x", "zone", "zone2"), labelledNode("node-y", "zone", "zone2", "node", "node-y")),
                        List.of(existing("p-a1", "node-a", "foo").obj(), existing("p-y3", "node-y", "foo").obj()),
                        codes("node-a", SKEW, "node-b", OK, "node-x", MISSING, "node-y", SKEW)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"singleConstraint", "multipleConstraints"})
    void upstream(String upstreamCase, MakePod incoming, List<Node> nodes, List<Pod> existing, Map<String, Status.Code> expected) {
        ClusterSnapshot snapshot = KubeObjects.snapshot(nodes, existing);
        PodInfo pod = incoming.info();
        PodTopologySpread plugin = new PodTopologySpread();
        CycleState state = new CycleState(snapshot);
        assertThat(plugin.preFilter(state, pod).isSuccess()).isTrue();

        Map<String, Status.Code> actual = new LinkedHashMap<>();
        for (String node : expected.keySet()) {
            actual.put(node, plugin.filter(state, pod, snapshot.node(node).orElseThrow()).code());
        }
        assertThat(actual).isEqualTo(expected);
    }
}
