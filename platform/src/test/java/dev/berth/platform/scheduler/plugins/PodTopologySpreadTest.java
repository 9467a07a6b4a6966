package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.model.LabelSelector;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.TopologySpreadConstraint;
import dev.berth.platform.scheduler.model.TopologySpreadConstraint.WhenUnsatisfiable;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.berth.platform.scheduler.Fixtures.assertStatus;
import static dev.berth.platform.scheduler.plugins.PodTopologySpread.REASON_CONSTRAINTS_NOT_MATCH;
import static dev.berth.platform.scheduler.plugins.PodTopologySpread.REASON_MISSING_LABEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PodTopologySpreadTest {

    private static final LabelSelector WEB = LabelSelector.matchLabels(Map.of("app", "web"));

    @ParameterizedTest(name = "{0} + {1} self − min {2} vs maxSkew {3} → {4}")
    @CsvSource({
            "0, 1, 0, 1, true",
            "1, 1, 0, 1, false",
            "1, 1, 1, 1, true",
            "2, 1, 0, 3, true",
            "3, 1, 0, 3, false",
            "1, 0, 0, 1, true"})
    void skewAllows(int matching, int selfMatch, int minMatching, int maxSkew, boolean expected) {
        assertThat(PodTopologySpread.skewAllows(matching, selfMatch, minMatching, maxSkew)).isEqualTo(expected);
    }

    /**
     * Zones a (a1, a2), b (b1), c (c1), and a node without zone label; web pods: a1 1, a2 1, b1 1, so per zone a=2, b=1, c=0.
     * Nodes of zones a and b carry pool=main. One web pod in another namespace sits on c1 and must not count.
     */
    private static ClusterSnapshot cluster() {
        List<NodeInfo> nodes = List.of(
                NodeInfo.builder("a1").zone("zone-a").label("pool", "main").allocatable("8", "32Gi").build(),
                NodeInfo.builder("a2").zone("zone-a").label("pool", "main").allocatable("8", "32Gi").build(),
                NodeInfo.builder("b1").zone("zone-b").label("pool", "main").allocatable("8", "32Gi").build(),
                NodeInfo.builder("c1").zone("zone-c").allocatable("8", "32Gi").build(),
                NodeInfo.builder("nozone").allocatable("8", "32Gi").build());
        List<PodInfo> pods = new ArrayList<>();
        for (String node : List.of("a1", "a2", "b1")) {
            pods.add(PodInfo.builder("default", "web-" + node).label("app", "web").nodeName(node).build());
        }
        pods.add(PodInfo.builder("other", "web-elsewhere").label("app", "web").nodeName("c1").build());
        return ClusterSnapshot.of(nodes, pods);
    }

    private static PodInfo.Builder incoming(String app, int maxSkew) {
        return PodInfo.builder("default", "incoming").label("app", app)
                .spread(new TopologySpreadConstraint(maxSkew, NodeInfo.LABEL_ZONE, WhenUnsatisfiable.DO_NOT_SCHEDULE, WEB));
    }

    static Stream<Arguments> filterCases() {
        List<String> ok = List.of();
        List<String> skewed = List.of(REASON_CONSTRAINTS_NOT_MATCH);
        List<String> missing = List.of(REASON_MISSING_LABEL);
        PodInfo web = incoming("web", 1).build();
        PodInfo webOnMainPool = incoming("web", 1).nodeSelector("pool", "main").build();
        PodInfo webSkew2 = incoming("web", 2).build();
        PodInfo notMatchingItself = incoming("api", 1).build();
        return Stream.of(
                arguments("zone a holds 2, min 0: 3 > 1", web, "a1", skewed),
                arguments("zone b holds 1: 2 > 1", web, "b1", skewed),
                arguments("empty zone c", web, "c1", ok),
                arguments("node without the topology key", web, "nozone", missing),
                arguments("min over eligible zones a, b only (1): zone b fits", webOnMainPool, "b1", ok),
                arguments("min over eligible zones a, b only (1): zone a 2 + 1 − 1 > 1", webOnMainPool, "a1", skewed),
                arguments("maxSkew 2: zone b fits", webSkew2, "b1", ok),
                arguments("maxSkew 2: zone a 3 > 2", webSkew2, "a2", skewed),
                arguments("pod outside its own selector does not add itself: zone b 1 ≤ 1", notMatchingItself, "b1", ok),
                arguments("pod outside its own selector: zone a 2 > 1", notMatchingItself, "a1", skewed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String description, PodInfo pod, String node, List<String> reasons) {
        ClusterSnapshot snapshot = cluster();
        PodTopologySpread plugin = new PodTopologySpread();
        CycleState state = new CycleState(snapshot);

        assertThat(plugin.preFilter(state, pod).isSuccess()).isTrue();
        assertStatus(plugin.filter(state, pod, snapshot.node(node).orElseThrow()), PodTopologySpread.NAME, reasons);
    }

    @Test
    void filterSkipsPodsWithoutHardConstraints() {
        CycleState state = new CycleState(cluster());
        new PodTopologySpread().preFilter(state, PodInfo.builder("default", "p").label("app", "web").build());
        assertThat(state.filterSkipped(PodTopologySpread.NAME)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                        | raw scores   | normalized
            fewest matching pods scores 100               | 0,4,8        | 100,50,0
            lowest score above zero                       | 2,4          | 100,50
            all zero                                      | 0,0          | 100,100
            ignored node (-1) gets 0, others by min/max   | -1,3,6       | 0,100,50
            """)
    void normalizeScore(String description, String raw, String normalized) {
        long[] scores = Stream.of(raw.split(",")).mapToLong(Long::parseLong).toArray();
        new PodTopologySpread().normalizeScore(null, null, scores);
        assertThat(scores).containsExactly(Stream.of(normalized.split(",")).mapToLong(Long::parseLong).toArray());
    }

    @Test
    void rawScoreGrowsWithMatchingPodsWeightedByDomainCount() {
        assertThat(PodTopologySpread.topologyNormalizingWeight(3)).isCloseTo(Math.log(5), within(1e-12));
        assertThat(PodTopologySpread.scoreForCount(0, 1, 2.0)).isZero();
        assertThat(PodTopologySpread.scoreForCount(2, 1, 2.0)).isEqualTo(4.0);
        assertThat(PodTopologySpread.scoreForCount(2, 3, 2.0)).isEqualTo(6.0);
    }

    static Stream<Arguments> defaultConstraintCases() {
        return Stream.of(
                arguments("no labels: no default spreading", Map.of(), Map.of()),
                arguments("template labels select the siblings", Map.of("app", "web", "pod-template-hash", "5d9c"),
                        Map.of("app", "web", "pod-template-hash", "5d9c")),
                arguments("StatefulSet identity labels are dropped",
                        Map.of("app", "db", "statefulset.kubernetes.io/pod-name", "db-0", "apps.kubernetes.io/pod-index", "0",
                                "controller-revision-hash", "db-7f"),
                        Map.of("app", "db")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defaultConstraintCases")
    void systemDefaultConstraints(String description, Map<String, String> podLabels, Map<String, String> selected) {
        List<TopologySpreadConstraint> defaults =
                PodTopologySpread.systemDefaultConstraints(PodInfo.builder("default", "p").labels(podLabels).build());
        if (selected.isEmpty()) {
            assertThat(defaults).isEmpty();
            return;
        }
        assertThat(defaults).extracting(TopologySpreadConstraint::topologyKey, TopologySpreadConstraint::maxSkew)
                .containsExactly(tuple(NodeInfo.LABEL_HOSTNAME, 3),
                        tuple(NodeInfo.LABEL_ZONE, 5));
        assertThat(defaults).allSatisfy(c -> {
            assertThat(c.whenUnsatisfiable()).isEqualTo(WhenUnsatisfiable.SCHEDULE_ANYWAY);
            assertThat(c.labelSelector()).isEqualTo(LabelSelector.matchLabels(selected));
        });
    }
}
