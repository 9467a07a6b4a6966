package dev.berth.platform.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.berth.platform.scheduler.KubeObjects.node;
import static dev.berth.platform.scheduler.KubeObjects.pod;
import static dev.berth.platform.scheduler.KubeObjects.rawScores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NodeResourcesLeastAllocatedTest {

    private static final long GI = 1024L * 1024 * 1024;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                 | cpu requested | cpu allocatable | GiB requested | GiB allocatable | score
            empty node                             | 0             | 4000            | 0             | 16              | 100
            1 of 4 cores, 8 of 16 GiB (Javadoc)    | 1000          | 4000            | 8             | 16              | 62
            full                                   | 4000          | 4000            | 16            | 16              | 0
            cpu over allocatable scores 0 for cpu  | 5000          | 4000            | 0             | 16              | 50
            no memory on the node: cpu alone       | 1000          | 4000            | 1             | 0               | 75
            nothing allocatable                    | 1000          | 0               | 1             | 0               | 0
            """)
    void score(String description, long cpu, long cpuAllocatable, long gib, long gibAllocatable, long expected) {
        assertThat(NodeResourcesLeastAllocated.score(cpu, cpuAllocatable, gib * GI, gibAllocatable * GI)).isEqualTo(expected);
    }

    /**
     * kube-scheduler's {@code least_allocated_test.go TestLeastAllocatedScoringStrategy}, CPU and memory at weight 1
     * (upstream's quantities are whole cores, so every ratio is the same as in milli-cores).
     * Also the LeastAllocated row of {@code fit_test.go TestFitScore} (its "if PreScore is not called" twin is the same
     * row here: Berth's scores never depend on pre-score).
     * Skipped by design (Berth has no scoring-strategy configuration and no extended resources): "Resources not set,
     * pods scheduled with error", "nothing scheduled, resources requested with different weight on CPU and memory,
     * differently sized nodes", "resource with negative weight", "resource with zero weight", "resource weight larger
     * than MaxNodeScore", "bypass extended resource if the pod does not request", "honor extended resource if the pod
     * requests", "if the node doesn't have a resource".
     */
    static Stream<Arguments> upstreamCases() {
        Pod requesting = pod().req("1000", "2000").req("2000", "3000").obj();
        Pod fitScorePod = pod().req("1000", "2000").obj();
        List<Pod> fitScorePods = List.of(pod().node("node1").req("2000", "4000").obj(), pod().node("node2").req("1000", "2000").obj());
        return Stream.of(
                arguments("least_allocated_test.go: nothing scheduled, nothing requested",
                        pod().obj(), List.of(node("node1").capacity("4000", "10000").obj(), node("node2").capacity("4000", "10000").obj()),
                        List.of(), List.of(100L, 100L)),
                arguments("least_allocated_test.go: nothing scheduled, resources requested, differently sized nodes",
                        requesting, List.of(node("node1").capacity("4000", "10000").obj(), node("node2").capacity("6000", "10000").obj()),
                        List.of(), List.of(37L, 50L)),
                arguments("least_allocated_test.go: no resources requested, pods scheduled",
                        pod().obj(), List.of(node("node1").capacity("4000", "10000").obj(), node("node2").capacity("4000", "10000").obj()),
                        List.of(pod().node("node1").obj(), pod().node("node1").obj(), pod().node("node2").obj(), pod().node("node2").obj()),
                        List.of(100L, 100L)),
                arguments("least_allocated_test.go: no resources requested, pods scheduled with resources",
                        pod().obj(), List.of(node("node1").capacity("10000", "20000").obj(), node("node2").capacity("10000", "20000").obj()),
                        List.of(pod().node("node1").req("3000", "0").obj(), pod().node("node1").req("3000", "0").obj(),
                                pod().node("node2").req("3000", "0").obj(), pod().node("node2").req("3000", "5000").obj()),
                        List.of(70L, 57L)),
                arguments("least_allocated_test.go: resources requested, pods scheduled with resources",
                        requesting, List.of(node("node1").capacity("10000", "20000").obj(), node("node2").capacity("10000", "20000").obj()),
                        List.of(pod().node("node1").req("3000", "0").obj(), pod().node("node2").req("3000", "5000").obj()),
                        List.of(57L, 45L)),
                arguments("least_allocated_test.go: resources requested, pods scheduled with resources, differently sized nodes",
                        requesting, List.of(node("node1").capacity("10000", "20000").obj(), node("node2").capacity("10000", "50000").obj()),
                        List.of(pod().node("node1").req("3000", "0").obj(), pod().node("node2").req("3000", "5000").obj()),
                        List.of(57L, 60L)),
                arguments("least_allocated_test.go: requested resources exceed node capacity",
                        pod().req("3000", "0").obj(),
                        List.of(node("node1").capacity("4000", "10000").obj(), node("node2").capacity("4000", "10000").obj()),
                        List.of(pod().node("node1").req("3000", "0").obj(), pod().node("node2").req("3000", "5000").obj()),
                        List.of(50L, 25L)),
                arguments("least_allocated_test.go: zero node resources, pods scheduled with resources",
                        pod().obj(), List.of(node("node1").obj(), node("node2").obj()),
                        List.of(pod().node("node1").req("3000", "0").obj(), pod().node("node2").req("3000", "5000").obj()),
                        List.of(0L, 0L)),
                arguments("fit_test.go TestFitScore: test case for ScoringStrategy LeastAllocated", fitScorePod,
                        List.of(node("node1").capacity("4000", "10000").obj(), node("node2").capacity("6000", "10000").obj()),
                        fitScorePods, List.of(32L, 63L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamCases")
    void upstream(String upstreamCase, Pod incoming, List<Node> nodes, List<Pod> existing, List<Long> expected) {
        assertThat(rawScores(new NodeResourcesLeastAllocated(), true, incoming, nodes, existing)).isEqualTo(expected);
    }
}
