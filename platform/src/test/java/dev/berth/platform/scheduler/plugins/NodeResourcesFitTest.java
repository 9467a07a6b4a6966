package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.KubeObjects;
import dev.berth.platform.scheduler.KubeObjects.MakePod;
import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.Resources;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.berth.platform.scheduler.Fixtures.assertStatus;
import static dev.berth.platform.scheduler.Fixtures.node;
import static dev.berth.platform.scheduler.Fixtures.using;
import static dev.berth.platform.scheduler.plugins.NodeResourcesFit.REASON_CPU;
import static dev.berth.platform.scheduler.plugins.NodeResourcesFit.REASON_MEMORY;
import static dev.berth.platform.scheduler.plugins.NodeResourcesFit.REASON_TOO_MANY_PODS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NodeResourcesFitTest {

    /** 4 cores and 8 GiB, of which 3 cores and 6 GiB are requested. */
    private static final NodeInfo HALF_FULL = using(node("n", "4", "8Gi").build(), "3", "6Gi");

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("fits exactly", HALF_FULL, "1", "2Gi", List.of()),
                arguments("one milli-core too many", HALF_FULL, "1001m", "1Gi", List.of(REASON_CPU)),
                arguments("one byte too many", HALF_FULL, "500m", String.valueOf(2L * 1024 * 1024 * 1024 + 1), List.of(REASON_MEMORY)),
                arguments("both short: both reported", HALF_FULL, "2", "4Gi", List.of(REASON_CPU, REASON_MEMORY)),
                arguments("empty node", node("n", "4", "8Gi").build(), "4", "8Gi", List.of()),
                arguments("zero request fits a full node", using(node("n", "4", "8Gi").build(), "4", "8Gi"), "0", "0", List.of()),
                arguments("zero cpu request, memory short", using(node("n", "4", "8Gi").build(), "1", "8Gi"), "0", "1", List.of(REASON_MEMORY)),
                arguments("no free pod slot", using(node("n", "4", "8Gi").maxPods(1).build(), "1", "1Gi"), "1", "1Gi",
                        List.of(REASON_TOO_MANY_PODS)),
                arguments("no pod slot and no cpu", using(node("n", "4", "8Gi").maxPods(1).build(), "4", "1Gi"), "1", "1Gi",
                        List.of(REASON_TOO_MANY_PODS, REASON_CPU)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fitsRequest(String description, NodeInfo node, String cpu, String memory, List<String> reasons) {
        assertStatus(NodeResourcesFit.fitsRequest(Resources.parse(cpu, memory), node), NodeResourcesFit.NAME, reasons);
    }

    private static MakePod newResourcePod(int milliCpu, int memory) {
        return KubeObjects.pod().req(milliCpu + "m", String.valueOf(memory));
    }

    /**
     * kube-scheduler's {@code fit_test.go} tables TestEnoughRequests (node: 10m CPU, 20 bytes, 32 pods),
     * TestNotEnoughRequests (the same node with 1 pod slot) and TestStorageRequests; each row's node holds one pod
     * requesting {@code usedCpu}m / {@code usedMemory} bytes. Skipped by design (Berth accounts CPU, memory and pods
     * only): TestEnoughRequests "extended resource fits" and every other "extended resource …", "kubernetes.io
     * resource capacity enforced" (and for init container), "hugepages resource …", "skip checking ignored extended
     * resource"; TestStorageRequests "storage ephemeral local storage request exceeds allocatable" and "pod fits"
     * (ephemeral storage), "ephemeral local storage is sufficient"; TestRestartableInitContainers (the SidecarContainers
     * gate: Berth always models sidecars, their requests are checked in KubernetesConversionTest); TestFitScore's
     * RequestedToCapacityRatio rows (no such strategy; its LeastAllocated/MostAllocated rows are in those plugins' tests).
     */
    static Stream<Arguments> upstreamCases() {
        List<String> fits = List.of();
        List<String> cpu = List.of(REASON_CPU);
        List<String> memory = List.of(REASON_MEMORY);
        List<String> tooManyPods = List.of(REASON_TOO_MANY_PODS);
        return Stream.of(
                arguments("fit_test.go TestEnoughRequests: no resources requested always fits", KubeObjects.pod(), 10, 20, 32, fits),
                arguments("fit_test.go TestEnoughRequests: too many resources fails", newResourcePod(1, 1), 10, 20, 32,
                        List.of(REASON_CPU, REASON_MEMORY)),
                arguments("fit_test.go TestEnoughRequests: too many resources fails due to init container cpu",
                        newResourcePod(1, 1).initReq("3m", "1"), 8, 19, 32, cpu),
                arguments("fit_test.go TestEnoughRequests: too many resources fails due to highest init container cpu",
                        newResourcePod(1, 1).initReq("3m", "1").initReq("2m", "1"), 8, 19, 32, cpu),
                arguments("fit_test.go TestEnoughRequests: too many resources fails due to init container memory",
                        newResourcePod(1, 1).initReq("1m", "3"), 9, 19, 32, memory),
                arguments("fit_test.go TestEnoughRequests: too many resources fails due to highest init container memory",
                        newResourcePod(1, 1).initReq("1m", "3").initReq("1m", "2"), 9, 19, 32, memory),
                arguments("fit_test.go TestEnoughRequests: init container fits because it's the max, not sum, of containers and init containers",
                        newResourcePod(1, 1).initReq("1m", "1"), 9, 19, 32, fits),
                arguments("fit_test.go TestEnoughRequests: multiple init containers fit because it's the max, not sum, of containers and init containers",
                        newResourcePod(1, 1).initReq("1m", "1").initReq("1m", "1"), 9, 19, 32, fits),
                arguments("fit_test.go TestEnoughRequests: both resources fit", newResourcePod(1, 1), 5, 5, 32, fits),
                arguments("fit_test.go TestEnoughRequests: one resource memory fits", newResourcePod(2, 1), 9, 5, 32, cpu),
                arguments("fit_test.go TestEnoughRequests: one resource cpu fits", newResourcePod(1, 2), 5, 19, 32, memory),
                arguments("fit_test.go TestEnoughRequests: equal edge case", newResourcePod(5, 1), 5, 19, 32, fits),
                arguments("fit_test.go TestEnoughRequests: equal edge case for init container",
                        newResourcePod(4, 1).initReq("5m", "1"), 5, 19, 32, fits),
                arguments("fit_test.go TestEnoughRequests: resources + pod overhead fits",
                        newResourcePod(1, 1).overhead("3m", "13"), 5, 5, 32, fits),
                arguments("fit_test.go TestEnoughRequests: requests + overhead does not fit for memory",
                        newResourcePod(1, 1).overhead("1m", "15"), 5, 5, 32, memory),
                arguments("fit_test.go TestNotEnoughRequests: even without specified resources predicate fails when there's no space for additional pod",
                        KubeObjects.pod(), 10, 20, 1, tooManyPods),
                arguments("fit_test.go TestNotEnoughRequests: even if both resources fit predicate fails when there's no space for additional pod",
                        newResourcePod(1, 1), 5, 5, 1, tooManyPods),
                arguments("fit_test.go TestNotEnoughRequests: even for equal edge case predicate fails when there's no space for additional pod",
                        newResourcePod(5, 1), 5, 19, 1, tooManyPods),
                arguments("fit_test.go TestNotEnoughRequests: even for equal edge case predicate fails when there's no space for additional pod due to init container",
                        newResourcePod(5, 1).initReq("5m", "1"), 5, 19, 1, tooManyPods),
                arguments("fit_test.go TestStorageRequests: due to container scratch disk", newResourcePod(1, 1), 10, 10, 32, cpu),
                arguments("fit_test.go TestStorageRequests: pod fit", newResourcePod(1, 1), 2, 10, 32, fits));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamCases")
    void upstream(String upstreamCase, MakePod incoming, int usedMilliCpu, int usedMemory, int pods, List<String> reasons) {
        ClusterSnapshot snapshot = KubeObjects.snapshot(List.of(KubeObjects.node("node").capacity("10m", "20").pods(pods).obj()),
                List.of(newResourcePod(usedMilliCpu, usedMemory).node("node").obj()));
        PodInfo pod = incoming.info();
        NodeResourcesFit plugin = new NodeResourcesFit();
        CycleState state = new CycleState(snapshot);

        assertThat(plugin.preFilter(state, pod).isSuccess()).isTrue();
        assertStatus(plugin.filter(state, pod, snapshot.node("node").orElseThrow()), NodeResourcesFit.NAME, reasons);
    }
}
