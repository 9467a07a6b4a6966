package dev.berth.platform.scheduler;

import dev.berth.platform.scheduler.framework.Status;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Small builders and assertions shared by the scheduler tests. */
public final class Fixtures {

    private Fixtures() {
    }

    /** A ready, schedulable node in no zone with {@code cpu}/{@code memory} allocatable (Kubernetes quantities). */
    public static NodeInfo.Builder node(String name, String cpu, String memory) {
        return NodeInfo.builder(name).allocatable(cpu, memory);
    }

    /** A pod in namespace {@code default} requesting {@code cpu}/{@code memory}. */
    public static PodInfo.Builder pod(String name, String cpu, String memory) {
        return PodInfo.builder("default", name).requests(cpu, memory);
    }

    /** {@code node} with a pod requesting {@code cpu}/{@code memory} accounted on it. */
    public static NodeInfo using(NodeInfo node, String cpu, String memory) {
        return node.withPod(pod("existing-" + node.podCount(), cpu, memory).build());
    }

    public static ClusterSnapshot snapshot(NodeInfo.Builder... nodes) {
        return ClusterSnapshot.of(List.of(nodes).stream().map(NodeInfo.Builder::build).toList(), List.of());
    }

    /** Asserts success when no reasons are given, otherwise a non-success status from {@code plugin} with exactly these reasons. */
    public static void assertStatus(Status status, String plugin, List<String> reasons) {
        if (reasons.isEmpty()) {
            assertThat(status.isSuccess()).as("success, got %s", status).isTrue();
        } else {
            assertThat(status.code()).isIn(Status.Code.UNSCHEDULABLE, Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
            assertThat(status.reasons()).containsExactlyElementsOf(reasons);
            assertThat(status.plugin()).isEqualTo(plugin);
        }
    }
}
