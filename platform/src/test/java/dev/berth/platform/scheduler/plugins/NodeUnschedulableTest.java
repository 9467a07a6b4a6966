package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.Taint;
import dev.berth.platform.scheduler.model.TaintEffect;
import dev.berth.platform.scheduler.model.Toleration;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.berth.platform.scheduler.Fixtures.assertStatus;
import static dev.berth.platform.scheduler.Fixtures.pod;
import static dev.berth.platform.scheduler.plugins.NodeUnschedulable.REASON_NOT_READY;
import static dev.berth.platform.scheduler.plugins.NodeUnschedulable.REASON_UNSCHEDULABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NodeUnschedulableTest {

    private static final NodeInfo READY = NodeInfo.builder("n").build();
    private static final NodeInfo CORDONED = NodeInfo.builder("n").unschedulable(true).build();
    private static final NodeInfo NOT_READY = NodeInfo.builder("n").ready(false).build();
    private static final NodeInfo CORDONED_NOT_READY = NodeInfo.builder("n").unschedulable(true).ready(false).build();
    private static final Toleration TOLERATE_CORDON = Toleration.exists(Taint.UNSCHEDULABLE.key(), TaintEffect.NO_SCHEDULE);
    private static final Toleration TOLERATE_NOT_READY = Toleration.exists(Taint.NOT_READY.key(), null);

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("ready and schedulable", READY, List.of(), List.of()),
                arguments("cordoned", CORDONED, List.of(), List.of(REASON_UNSCHEDULABLE)),
                arguments("cordoned, pod tolerates the unschedulable taint", CORDONED, List.of(TOLERATE_CORDON), List.of()),
                arguments("cordoned, pod tolerates everything", CORDONED, List.of(Toleration.everything()), List.of()),
                arguments("cordoned, toleration for another effect", CORDONED,
                        List.of(Toleration.exists(Taint.UNSCHEDULABLE.key(), TaintEffect.NO_EXECUTE)), List.of(REASON_UNSCHEDULABLE)),
                arguments("NotReady", NOT_READY, List.of(), List.of(REASON_NOT_READY)),
                arguments("NotReady, pod tolerates not-ready", NOT_READY, List.of(TOLERATE_NOT_READY), List.of()),
                arguments("NotReady, pod tolerates only the cordon", NOT_READY, List.of(TOLERATE_CORDON), List.of(REASON_NOT_READY)),
                arguments("cordoned and NotReady: the cordon is reported", CORDONED_NOT_READY, List.of(), List.of(REASON_UNSCHEDULABLE)),
                arguments("cordoned and NotReady, both tolerated", CORDONED_NOT_READY, List.of(TOLERATE_CORDON, TOLERATE_NOT_READY), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void admits(String description, NodeInfo node, List<Toleration> tolerations, List<String> reasons) {
        assertStatus(NodeUnschedulable.admits(node, tolerations), NodeUnschedulable.NAME, reasons);
    }

    @Test
    void preFilterNarrowsTheCycleToAdmittedNodes() {
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(READY, NodeInfo.builder("cordoned").unschedulable(true).build()), List.of());
        CycleState state = new CycleState(snapshot);

        new NodeUnschedulable().preFilter(state, pod("p", "1", "1Gi").build());

        assertThat(state.restrictsNodes(NodeUnschedulable.NAME)).isTrue();
        assertThat(state.candidateNodes().contains(snapshot.indexOf("n"))).isTrue();
        assertThat(state.candidateNodes().contains(snapshot.indexOf("cordoned"))).isFalse();
    }
}
