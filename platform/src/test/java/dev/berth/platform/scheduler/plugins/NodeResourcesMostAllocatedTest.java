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

class NodeResourcesMostAllocatedTest {

    private static final long GI = 1024L * 1024 * 1024;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                 | cpu requested | cpu allocatable | GiB requested | GiB allocatable | score
            empty node                             | 0             | 4000            | 0             | 16              | 0
            1 of 4 cores, 8 of 16 GiB (Javadoc)    | 1000          | 4000            | 8             | 16              | 37
            full                                   | 4000          | 4000            | 16            | 16              | 100
            over allocatable is capped             | 8000          | 4000            | 32            | 16              | 100
            no memory on the node: cpu alone       | 1000          | 4000            | 1             | 0               | 25
            nothing allocatable                    | 1000          | 0               | 1             | 0               | 0
            """)
    void score(String description, long cpu, long cpuAllocatable, long gib, long gibAllocatable, long expected) {
        assertThat(NodeResourcesMostAllocated.score(cpu, cpuAllocatable, gib * GI, gibAllocatable * GI)).isEqualTo(expected);
    }

    /**
     * kube-scheduler's {@code most_allocated_test.go TestMostAllocatedScoringStrategy}, CPU and memory at weight 1.
     * Also the MostAllocated row of {@code fit_test.go TestFitScore} (its "if PreScore is not called" twin is the same
     * row here: Berth's scores never depend on pre-score).
     * Skipped by design (no scoring-strategy configuration, no extended resources in Berth): "Resources not set, pods
     * scheduled with error", the second "nothing scheduled, resources requested, differently sized nodes" (memory
     * weight 2), "resource with negative weight", "resource with zero weight", "resource weight larger than
     * MaxNodeScore", "bypass extended resource if the pod does not request", "honor extended resource if the pod
     * request", "if the node doesn't have a resource".
     */
    static Stream<Arguments> upstreamCases() {
        Pod requesting = pod().req("1000", "2000").req("2000", "3000").obj();
        Pod fitScorePod = pod().req("1000", "2000").obj();
        List<Pod> fitScorePods = List.of(pod().node("node1").req("2000", "4000").obj(), pod().node("node2").req("1000", "2000").obj());
        return Stream.of(
                arguments("most_allocated_test.go: nothing scheduled, nothing requested",
                        pod().obj(), List.of(node("node1").capacity("4000", "10000").obj(), node("node2").capacity("4000", "10000").obj()),
                        List.of(), List.of(0L, 0L)),
                arguments("most_allocated_test.go: nothing scheduled, resources requested, differently sized nodes",
                        requesting, List.of(node("node1").capacity("4000", "10000").obj(), node("node2").capacity("6000", "10000").obj()),
                        List.of(), List.of(62L, 50L)),
                arguments("most_allocated_test.go: no resources requested, pods scheduled with resources",
                        pod().obj(), List.of(node("node1").capacity("10000", "20000").obj(), node("node2").capacity("10000", "20000").obj()),
                        List.of(pod().node("node1").req("3000", "0").obj(), pod().node("node1").req("3000", "0").obj(),
                                pod().node("node2").req("3000", "0").obj(), pod().node("node2").req("3000", "5000").obj()),
                        List.of(30L, 42L)),
                arguments("most_allocated_test.go: resources requested, pods scheduled with resources",
                        requesting, List.of(node("node1").capacity("10000", "20000").obj(), node("node2").capacity("10000", "20000").obj()),
                        List.of(pod().node("node1").req("3000", "0").obj(), pod().node("node2").req("3000", "5000").obj()),
                        List.of(42L, 55L)),
                arguments("most_allocated_test.go: resources requested equal node capacity",
                        pod().req("2000", "4000").req("3000", "5000").obj(),
                        List.of(node("node1").capacity("5000", "10000").obj(), node("node2").capacity("10000", "9000").obj()),
                        List.of(), List.of(95L, 75L)),
                arguments("most_allocated_test.go: no resources requested, pods scheduled, nonzero request for resource",
                        pod().container().obj(),
                        List.of(node("node1").capacity("250m", "1000Mi").obj(), node("node2").capacity("250m", "1000Mi").obj()),
                        List.of(pod().node("node1").container().obj(), pod().node("node1").container().obj()),
                        List.of(80L, 30L)),
                arguments("fit_test.go TestFitScore: test case for ScoringStrategy MostAllocated", fitScorePod,
                        List.of(node("node1").capacity("4000", "10000").obj(), node("node2").capacity("6000", "10000").obj()),
                        fitScorePods, List.of(67L, 36L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamCases")
    void upstream(String upstreamCase, Pod incoming, List<Node> nodes, List<Pod> existing, List<Long> expected) {
        assertThat(rawScores(new NodeResourcesMostAllocated(), true, incoming, nodes, existing)).isEqualTo(expected);
    }
}
