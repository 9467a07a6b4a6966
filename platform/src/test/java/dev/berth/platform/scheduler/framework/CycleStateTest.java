package dev.berth.platform.scheduler.framework;

import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CycleStateTest {

    private static final CycleState.Key<String> NOTE = CycleState.Key.of("note");

    @Test
    void holdsTypedScratchState() {
        CycleState state = new CycleState(ClusterSnapshot.of(List.of(), List.of()));

        assertThat(state.read(NOTE)).isNull();
        state.write(NOTE, "computed once");
        assertThat(state.read(NOTE)).isEqualTo("computed once");
    }

    @Test
    void restrictionsIntersect() {
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(
                NodeInfo.builder("a").label("x", "1").build(), NodeInfo.builder("b").label("x", "1").label("y", "1").build(),
                NodeInfo.builder("c").label("y", "1").build()), List.of());
        CycleState state = new CycleState(snapshot);

        assertThat(state.candidateNodes()).isNull();
        state.restrictNodes("X", snapshot.nodesWhere(node -> node.labels().containsKey("x")));
        state.restrictNodes("Y", snapshot.nodesWhere(node -> node.labels().containsKey("y")));

        assertThat(state.candidateNodes().size()).isEqualTo(1);
        assertThat(state.candidateNodes().contains(snapshot.indexOf("b"))).isTrue();
        assertThat(state.restrictsNodes("X")).isTrue();
        assertThat(state.restrictsNodes("Z")).isFalse();
    }

    @Test
    void statusMessageJoinsReasons() {
        Status status = Status.unschedulable("NodeResourcesFit", "Insufficient cpu", "Insufficient memory");

        assertThat(status.message()).isEqualTo("Insufficient cpu, Insufficient memory");
        assertThat(status.isSuccess()).isFalse();
        assertThat(Status.success().isSuccess()).isTrue();
    }
}
