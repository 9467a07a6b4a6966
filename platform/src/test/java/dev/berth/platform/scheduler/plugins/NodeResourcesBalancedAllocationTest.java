package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.berth.platform.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

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
}
