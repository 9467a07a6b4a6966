package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.KubeObjects;
import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.berth.platform.scheduler.Fixtures.pod;
import static dev.berth.platform.scheduler.KubeObjects.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NodeResourcesBalancedAllocationTest {

    private static final long GI = 1024L * 1024 * 1024;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                 | cpu requested | cpu allocatable | GiB requested | GiB allocatable | score
            equal fractions                        | 2000          | 4000            | 8             | 16              | 100
            50% cpu, 25% memory                    | 2000          | 4000            | 4             | 16              | 87
            all cpu, no memory                     | 4000          | 4000            | 0             | 16              | 50
            fractions capped at 1                  | 8000          | 4000            | 0             | 16              | 50
            no memory on the node                  | 4000          | 4000            | 0             | 0               | 100
            """)
    void score(String description, long cpu, long cpuAllocatable, long gib, long gibAllocatable, long expected) {
        assertThat(NodeResourcesBalancedAllocation.score(cpu, cpuAllocatable, gib * GI, gibAllocatable * GI)).isEqualTo(expected);
    }

    @Test
    void skippedForPodsWithoutRequests() {
        CycleState state = new CycleState(ClusterSnapshot.of(List.of(), List.of()));
        new NodeResourcesBalancedAllocation().preScore(state, pod("best-effort", "0", "0").build(), List.of());
        assertThat(state.scoreSkipped(NodeResourcesBalancedAllocation.NAME)).isTrue();
    }

    /** Upstream's {@code cpuOnly} pod spec: 1000m + 2000m CPU, memory an explicit 0 in both containers. */
    private static Pod cpuOnly(String node) {
        return KubeObjects.pod().node(node).req("1000m", "0").req("2000m", "0").obj();
    }

    /** Upstream's {@code cpuAndMemory} pod spec: 1000m/2000 + 2000m/3000. */
    private static Pod cpuAndMemory(String node) {
        return KubeObjects.pod().node(node).req("1000m", "2000").req("2000m", "3000").obj();
    }

    /** Upstream's {@code makeNode(name, milliCPU, memory)}. */
    private static Node makeNode(String name, int milliCpu, int memory) {
        return node(name).capacity(milliCpu + "m", String.valueOf(memory)).pods(32).obj();
    }

    /**
     * kube-scheduler's {@code balanced_allocation_test.go TestNodeResourcesBalancedAllocation}, CPU and memory at weight 1.
     * Balanced allocation counts requests as given (no 100m/200Mi stand-ins), as upstream ({@code useRequested}).
     * Skipped by design (no scalar or DRA resources in Berth): "include scalar resource on a node for balanced resource
     * allocation", "include DRA resource on a node for balanced resource allocation" (with and without PreScore).
     * "node without the scalar resource should skip the scalar resource" is kept: the pod requests no GPU, so upstream
     * scores CPU and memory only, as Berth always does.
     */
    static Stream<Arguments> upstreamCases() {
        return Stream.of(
                arguments("balanced_allocation_test.go: nothing scheduled, resources requested, differently sized nodes", true,
                        cpuAndMemory(null), List.of(makeNode("node1", 4000, 10000), makeNode("node2", 6000, 10000)),
                        List.of(), List.of(87L, 100L)),
                arguments("balanced_allocation_test.go: resources requested, pods scheduled with resources", true,
                        cpuAndMemory(null), List.of(makeNode("node1", 10000, 20000), makeNode("node2", 10000, 20000)),
                        List.of(cpuOnly("node1"), cpuAndMemory("node2")), List.of(82L, 95L)),
                arguments("balanced_allocation_test.go: resources requested, pods scheduled with resources, differently sized nodes", true,
                        cpuAndMemory(null), List.of(makeNode("node1", 10000, 20000), makeNode("node2", 10000, 50000)),
                        List.of(cpuOnly("node1"), cpuAndMemory("node2")), List.of(82L, 80L)),
                arguments("balanced_allocation_test.go: requested resources at node capacity", true,
                        cpuOnly(null), List.of(makeNode("node1", 6000, 10000), makeNode("node2", 6000, 10000)),
                        List.of(cpuOnly("node1"), cpuAndMemory("node2")), List.of(50L, 75L)),
                arguments("balanced_allocation_test.go: node without the scalar resource should skip the scalar resource", true,
                        cpuAndMemory(null), List.of(makeNode("node1", 3500, 40000), makeNode("node2", 3500, 40000)),
                        List.of(), List.of(63L, 63L)),
                arguments("balanced_allocation_test.go: resources requested, pods scheduled with resources if PreScore not called", false,
                        cpuAndMemory(null), List.of(makeNode("node1", 10000, 20000), makeNode("node2", 10000, 20000)),
                        List.of(cpuOnly("node1"), cpuAndMemory("node2")), List.of(82L, 95L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamCases")
    void upstream(String upstreamCase, boolean runPreScore, Pod incoming, List<Node> nodes, List<Pod> existing, List<Long> expected) {
        assertThat(KubeObjects.rawScores(new NodeResourcesBalancedAllocation(), runPreScore, incoming, nodes, existing)).isEqualTo(expected);
    }

    @Test
    void upstreamNothingScheduledNothingRequestedSkipInPreScore() {
        // balanced_allocation_test.go: "nothing scheduled, nothing requested, skip in PreScore" (a pod without containers)
        ClusterSnapshot snapshot = ClusterSnapshot.fromKubernetes(List.of(makeNode("node1", 4000, 10000), makeNode("node2", 4000, 10000)),
                List.of());
        CycleState state = new CycleState(snapshot);
        new NodeResourcesBalancedAllocation().preScore(state, KubeObjects.pod().info(), snapshot.nodes());
        assertThat(state.scoreSkipped(NodeResourcesBalancedAllocation.NAME)).isTrue();
    }
}
