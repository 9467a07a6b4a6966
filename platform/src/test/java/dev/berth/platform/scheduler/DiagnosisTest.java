package dev.berth.platform.scheduler;

import dev.berth.platform.scheduler.framework.Status;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DiagnosisTest {

    @Test
    void countsReasonsOverNodesMostFrequentFirstThenByText() {
        Diagnosis diagnosis = Diagnosis.of(6, List.of(
                Status.unschedulable("NodeResourcesFit", "Insufficient memory"),
                Status.unresolvable("TaintToleration", "node(s) had untolerated taint {dedicated: infra}"),
                Status.unschedulable("NodeResourcesFit", "Insufficient cpu", "Insufficient memory"),
                Status.unresolvable("NodeUnschedulable", "node(s) were unschedulable"),
                Status.unschedulable("NodeResourcesFit", "Insufficient cpu")));

        assertThat(diagnosis.message()).isEqualTo("0/6 nodes are available: 2 Insufficient cpu, 2 Insufficient memory, "
                + "1 node(s) had untolerated taint {dedicated: infra}, 1 node(s) were unschedulable.");
        assertThat(diagnosis.countsByReason()).containsExactly(
                Map.entry("Insufficient cpu", 2), Map.entry("Insufficient memory", 2),
                Map.entry("node(s) had untolerated taint {dedicated: infra}", 1), Map.entry("node(s) were unschedulable", 1));
    }

    @Test
    void anEmptyClusterSaysSo() {
        assertThat(Diagnosis.of(0, List.of()).message()).isEqualTo("no nodes available to schedule pods");
    }
}
