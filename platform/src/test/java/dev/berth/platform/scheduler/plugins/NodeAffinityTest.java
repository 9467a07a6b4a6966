package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.NodeSelectorTerm;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.berth.platform.scheduler.Fixtures.pod;
import static dev.berth.platform.scheduler.model.SelectorRequirement.doesNotExist;
import static dev.berth.platform.scheduler.model.SelectorRequirement.exists;
import static dev.berth.platform.scheduler.model.SelectorRequirement.gt;
import static dev.berth.platform.scheduler.model.SelectorRequirement.in;
import static dev.berth.platform.scheduler.model.SelectorRequirement.lt;
import static dev.berth.platform.scheduler.model.SelectorRequirement.notIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NodeAffinityTest {

    /** Labels: disktype=ssd, zone=zone-a, cores=16 (and its hostname). */
    private static final NodeInfo NODE = NodeInfo.builder("node-1")
            .label("disktype", "ssd").zone("zone-a").label("cores", "16").build();

    static Stream<Arguments> cases() {
        Map<String, String> none = Map.of();
        List<NodeSelectorTerm> anyNode = List.of();
        return Stream.of(
                arguments("no requirements", none, anyNode, true),
                arguments("nodeSelector matches", Map.of("disktype", "ssd"), anyNode, true),
                arguments("nodeSelector other value", Map.of("disktype", "hdd"), anyNode, false),
                arguments("nodeSelector label missing", Map.of("gpu", "true"), anyNode, false),
                arguments("nodeSelector entries ANDed", Map.of("disktype", "ssd", "gpu", "true"), anyNode, false),
                arguments("In", none, terms(NodeSelectorTerm.of(in(NodeInfo.LABEL_ZONE, "zone-a", "zone-b"))), true),
                arguments("In, other values", none, terms(NodeSelectorTerm.of(in(NodeInfo.LABEL_ZONE, "zone-c"))), false),
                arguments("NotIn excludes", none, terms(NodeSelectorTerm.of(notIn("disktype", "ssd"))), false),
                arguments("NotIn on an absent label matches", none, terms(NodeSelectorTerm.of(notIn("gpu", "true"))), true),
                arguments("Exists", none, terms(NodeSelectorTerm.of(exists("disktype"))), true),
                arguments("Exists, absent", none, terms(NodeSelectorTerm.of(exists("gpu"))), false),
                arguments("DoesNotExist", none, terms(NodeSelectorTerm.of(doesNotExist("gpu"))), true),
                arguments("DoesNotExist, present", none, terms(NodeSelectorTerm.of(doesNotExist("disktype"))), false),
                arguments("Gt", none, terms(NodeSelectorTerm.of(gt("cores", 8))), true),
                arguments("Gt, equal is not greater", none, terms(NodeSelectorTerm.of(gt("cores", 16))), false),
                arguments("Lt", none, terms(NodeSelectorTerm.of(lt("cores", 32))), true),
                arguments("Gt on a non-integer label", none, terms(NodeSelectorTerm.of(gt("disktype", 1))), false),
                arguments("Gt on an absent label", none, terms(NodeSelectorTerm.of(gt("memory-gb", 1))), false),
                arguments("expressions of a term ANDed", none, terms(NodeSelectorTerm.of(exists("disktype"), exists("gpu"))), false),
                arguments("terms ORed", none, terms(NodeSelectorTerm.of(exists("gpu")), NodeSelectorTerm.of(exists("disktype"))), true),
                arguments("a term without requirements matches nothing", none, terms(new NodeSelectorTerm(List.of(), List.of())), false),
                arguments("matchFields on the node name", none,
                        terms(new NodeSelectorTerm(List.of(), List.of(in(NodeSelectorTerm.FIELD_NODE_NAME, "node-1")))), true),
                arguments("matchFields, another node", none,
                        terms(new NodeSelectorTerm(List.of(), List.of(in(NodeSelectorTerm.FIELD_NODE_NAME, "node-2")))), false),
                arguments("nodeSelector matches, affinity does not", Map.of("disktype", "ssd"),
                        terms(NodeSelectorTerm.of(exists("gpu"))), false));
    }

    private static List<NodeSelectorTerm> terms(NodeSelectorTerm... terms) {
        return List.of(terms);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matches(String description, Map<String, String> nodeSelector, List<NodeSelectorTerm> terms, boolean expected) {
        assertThat(NodeAffinity.matches(nodeSelector, terms, NODE)).isEqualTo(expected);
    }

    @Test
    void rejectsWithKubernetesReasonAndNarrowsTheCycle() {
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(NODE, NodeInfo.builder("node-2").build()), List.of());
        PodInfo pod = pod("p", "1", "1Gi").nodeSelector("disktype", "ssd").build();
        NodeAffinity plugin = new NodeAffinity();
        CycleState state = new CycleState(snapshot);

        plugin.preFilter(state, pod);

        assertThat(state.candidateNodes().contains(snapshot.indexOf("node-1"))).isTrue();
        assertThat(state.candidateNodes().contains(snapshot.indexOf("node-2"))).isFalse();
        assertThat(plugin.filter(state, pod, snapshot.node("node-2").orElseThrow()).reasons())
                .containsExactly("node(s) didn't match Pod's node affinity/selector");
    }

    @Test
    void skipsPodsWithoutRequirements() {
        CycleState state = new CycleState(ClusterSnapshot.of(List.of(NODE), List.of()));
        new NodeAffinity().preFilter(state, pod("p", "1", "1Gi").build());
        assertThat(state.filterSkipped(NodeAffinity.NAME)).isTrue();
        assertThat(state.candidateNodes()).isNull();
    }
}
