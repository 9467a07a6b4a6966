package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Printed.ago;
import static dev.berth.platform.apiserver.printing.Printed.named;
import static dev.berth.platform.apiserver.printing.Printed.narrow;
import static dev.berth.platform.apiserver.printing.Printed.wide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.berth.platform.apiserver.printing.Table.RowCondition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** upstream's printPod table cases (printers_test.go), each row naming its case; then printPod branches they leave out. */
class PodTableTest {

    private static final List<RowCondition> SUCCEEDED = PodTable.POD_SUCCESS_CONDITIONS;
    private static final List<RowCondition> FAILED = PodTable.POD_FAILED_CONDITIONS;
    private static final List<RowCondition> NO_CONDITIONS = List.of();
    private static final String DELETED = ago(Duration.ofSeconds(10));

    static Stream<Arguments> printPod() {
        return Stream.of(
                arguments("TestPrintPod: name, num of containers, restarts, container ready status",
                        pod("test1", 2, phase("podPhase").withContainerStatuses(runningReady(3), restarts(3)).build()),
                        List.of("test1", "1/2", "podPhase", "6", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: container error overwrites pod phase",
                        pod("test2", 2, phase("podPhase").withContainerStatuses(runningReady(3), status(false, 3, waiting("ContainerWaitingReason"))).build()),
                        List.of("test2", "1/2", "ContainerWaitingReason", "6", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: Terminated state, and the first container overwrites the rest",
                        pod("test3", 2, phase("podPhase").withContainerStatuses(status(false, 3, waiting("ContainerWaitingReason")),
                                status(false, 3, terminated("ContainerTerminatedReason", 0))).build()),
                        List.of("test3", "0/2", "ContainerWaitingReason", "6", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: ready is not enough for reporting running",
                        pod("test4", 2, phase("podPhase").withContainerStatuses(runningReady(3), status(true, 3, null)).build()),
                        List.of("test4", "1/2", "podPhase", "6", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: ready is not enough for reporting running (pod reason)",
                        pod("test5", 2, phase("podPhase").withReason("podReason").withContainerStatuses(runningReady(3), status(true, 3, null)).build()),
                        List.of("test5", "1/2", "podReason", "6", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: one container running, the other completed, w/o ready condition",
                        pod("test6", 2, phase("Running").withReason("").withContainerStatuses(status(true, 3, terminated("Completed", 0)),
                                runningReady(3)).build()),
                        List.of("test6", "1/2", "NotReady", "6", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: one container running, the other completed, with ready condition",
                        pod("test6", 2, phase("Running").withReason("").withContainerStatuses(status(true, 3, terminated("Completed", 0)),
                                runningReady(3)).withConditions(condition("Ready", "True")).build()),
                        List.of("test6", "1/2", "Running", "6", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: 1 init container restarting and 1 container not running",
                        pod("test7", 1, 1, phase("podPhase").withInitContainerStatuses(restarted(false, 3, running(), 10))
                                .withContainerStatuses(status(false, 0, waiting(null))).build()),
                        List.of("test7", "0/1", "Init:0/1", "3 (10s ago)", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: 2 init containers, one restarting and the other not running, and 1 container not running",
                        pod("test8", 2, 1, phase("podPhase").withInitContainerStatuses(restarted(false, 3, running(), 10),
                                status(false, 0, waiting(null))).withContainerStatuses(status(false, 0, waiting(null))).build()),
                        List.of("test8", "0/1", "Init:0/2", "3 (10s ago)", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: 2 init containers, one completed without restarts and the other restarting, and 1 container not running",
                        pod("test9", 2, 1, phase("podPhase").withInitContainerStatuses(status(false, 0, terminated(null, 0)),
                                restarted(false, 3, running(), 10)).withContainerStatuses(status(false, 0, waiting(null))).build()),
                        List.of("test9", "0/1", "Init:1/2", "3 (10s ago)", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: 2 init containers, one completed with restarts and the other restarting, and 1 container not running",
                        pod("test10", 2, 1, phase("podPhase").withInitContainerStatuses(restarted(false, 2, terminated(null, 0), 120),
                                restarted(false, 3, running(), 10)).withContainerStatuses(status(false, 0, waiting(null))).build()),
                        List.of("test10", "0/1", "Init:1/2", "5 (10s ago)", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: 1 init container completed with restarts and one container restarting",
                        pod("test11", 1, 1, phase("Running").withInitContainerStatuses(restarted(false, 2, terminated(null, 0), 120))
                                .withContainerStatuses(restarted(false, 4, running(), 20)).build()),
                        List.of("test11", "0/1", "Running", "4 (20s ago)", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: 1 container that restarted 5d ago",
                        pod("test12", 1, phase("Running").withContainerStatuses(restarted(true, 3, running(), days(5))).build()),
                        List.of("test12", "1/1", "Running", "3 (5d ago)", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: 2 containers, one never restarted and the other restarted 10d ago",
                        pod("test13", 2, phase("Running").withContainerStatuses(runningReady(0), restarted(true, 3, running(), days(10))).build()),
                        List.of("test13", "2/2", "Running", "3 (10d ago)", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: 2 containers, one restarted 5d ago and the other restarted 20d ago",
                        pod("test14", 2, phase("Running").withContainerStatuses(restarted(true, 6, running(), days(5)),
                                restarted(true, 3, running(), days(20))).build()),
                        List.of("test14", "2/2", "Running", "9 (5d ago)", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: PodScheduled condition with reason SchedulingGated",
                        pod("test15", 2, phase("podPhase").withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                                .withReason("SchedulingGated").build()).build()),
                        List.of("test15", "0/2", "SchedulingGated", "0", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: pod condition succeed",
                        pod("test16", 1, phase("Succeeded").withContainerStatuses(status(false, 0, terminated("Completed", 0))).build()),
                        List.of("test16", "0/1", "Completed", "0", "<unknown>"), SUCCEEDED),
                arguments("TestPrintPod: pod condition failed",
                        pod("test17", 1, phase("Failed").withContainerStatuses(status(false, 0, terminated("Error", 1))).build()),
                        List.of("test17", "0/1", "Error", "0", "<unknown>"), FAILED),
                arguments("TestPrintPod: pod condition succeed with deletion",
                        deleted(pod("test18", 1, phase("Succeeded").withContainerStatuses(status(false, 0, terminated("Completed", 0))).build())),
                        List.of("test18", "0/1", "Completed", "0", "<unknown>"), SUCCEEDED),
                arguments("TestPrintPod: pod condition running with deletion",
                        deleted(pod("test19", 1, phase("Running").withContainerStatuses(status(false, 0, running())).build())),
                        List.of("test19", "0/1", "Terminating", "0", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPod: pod condition pending with deletion",
                        deleted(pod("test20", 1, phase("Pending").build())),
                        List.of("test20", "0/1", "Terminating", "0", "<unknown>"), NO_CONDITIONS),

                arguments("TestPrintPodWithRestartableInitContainer: 2 restartable init containers, the first running but not started",
                        sidecars("test1", phase("Pending").withInitContainerStatuses(sidecar("restartable-init-1", 3, running(), false, 10),
                                sidecar("restartable-init-2", 0, waiting(null), false, null)).withContainerStatuses(status(false, 0, waiting(null)))
                                .withConditions(condition("Initialized", "False")).build()),
                        List.of("test1", "0/3", "Init:0/2", "3 (10s ago)", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPodWithRestartableInitContainer: the first started, the second running but not started",
                        sidecars("test1", phase("Pending").withInitContainerStatuses(sidecar("restartable-init-1", 3, running(), true, 10),
                                sidecar("restartable-init-2", 0, running(), false, null)).withContainerStatuses(status(false, 0, waiting(null)))
                                .withConditions(condition("Initialized", "False")).build()),
                        List.of("test1", "0/3", "Init:1/2", "3 (10s ago)", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPodWithRestartableInitContainer: 2 restartable init containers started and 1 container running",
                        sidecars("test2", phase("Running").withInitContainerStatuses(sidecar("restartable-init-1", 3, running(), true, 10),
                                sidecar("restartable-init-2", 0, running(), true, null)).withContainerStatuses(restarted(true, 4, running(), 20))
                                .withConditions(condition("Initialized", "True")).build()),
                        List.of("test2", "1/3", "Running", "7 (10s ago)", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPodWithRestartableInitContainer: 2 restartable init containers completed with non-zero and 1 container completed",
                        sidecars("test3", phase("Succeeded").withInitContainerStatuses(sidecar("restartable-init-1", 3, terminated("Error", 137), false, 10),
                                sidecar("restartable-init-2", 0, terminated("Error", 137), false, null))
                                .withContainerStatuses(restarted(false, 4, terminated("Completed", 0), 20))
                                .withConditions(condition("Initialized", "True")).build()),
                        List.of("test3", "0/3", "Completed", "7 (10s ago)", "<unknown>"), SUCCEEDED),
                arguments("TestPrintPodWithRestartableInitContainer: container statuses for non-existent initContainers and containers",
                        new PodBuilder().withMetadata(named("test4")).withNewSpec()
                                .withInitContainers(container("init1", "initimage", null), container("sidecar1", "sidecarimage", "Always"))
                                .withContainers(container("container1", "containerimage", null)).endSpec()
                                .withStatus(phase("Running").withInitContainerStatuses(statusOf("initinvalid"), statusOf("init1"),
                                        statusOf("sidecar1")).withContainerStatuses(statusOf("containerinvalid"), statusOf("container1")).build())
                                .build(),
                        List.of("test4", "0/2", "Init:0/2", "0", "<unknown>"), NO_CONDITIONS),

                arguments("TestPrintPodConditions: should not have TableRowCondition",
                        pod("test1", 2, phase("Running").withContainerStatuses(runningReady(3), restarts(3)).build()),
                        List.of("test1", "1/2", "Running", "6", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintPodConditions: should have TableRowCondition podSuccessConditions",
                        pod("test1", 2, phase("Succeeded").withContainerStatuses(runningReady(3), restarts(3)).build()),
                        List.of("test1", "1/2", "Succeeded", "6", "<unknown>"), SUCCEEDED),
                arguments("TestPrintPodConditions: should have TableRowCondition podFailedConditions",
                        pod("test2", 2, phase("Failed").withContainerStatuses(runningReady(3), restarts(3)).build()),
                        List.of("test2", "1/2", "Failed", "6", "<unknown>"), FAILED),

                arguments("TestPrintNonTerminatedPod: phase Running",
                        pod("test1", 2, phase("Running").withContainerStatuses(runningReady(3), restarts(3)).build()),
                        List.of("test1", "1/2", "Running", "6", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintNonTerminatedPod: phase Pending",
                        pod("test2", 2, phase("Pending").withContainerStatuses(runningReady(3), restarts(3)).build()),
                        List.of("test2", "1/2", "Pending", "6", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintNonTerminatedPod: phase Unknown",
                        pod("test3", 2, phase("Unknown").withContainerStatuses(runningReady(3), restarts(3)).build()),
                        List.of("test3", "1/2", "Unknown", "6", "<unknown>"), NO_CONDITIONS),
                arguments("TestPrintNonTerminatedPod: phase Succeeded",
                        pod("test4", 2, phase("Succeeded").withContainerStatuses(runningReady(3), restarts(3)).build()),
                        List.of("test4", "1/2", "Succeeded", "6", "<unknown>"), SUCCEEDED),
                arguments("TestPrintNonTerminatedPod: phase Failed",
                        pod("test5", 2, phase("Failed").withContainerStatuses(runningReady(3), status(true, 3, null)).build()),
                        List.of("test5", "1/2", "Failed", "6", "<unknown>"), FAILED),

                // printPod's branches upstream's table does not reach, each checked against the code path it names
                arguments("printPod: an init container crash-looping shows Init:<waiting reason>",
                        pod("crash", 1, 1, phase("Pending").withInitContainerStatuses(status(false, 4, waiting("CrashLoopBackOff"))).build()),
                        List.of("crash", "0/1", "Init:CrashLoopBackOff", "4", "<unknown>"), NO_CONDITIONS),
                arguments("printPod: a PodInitializing init container counts as Init:i/n",
                        pod("initializing", 1, 1, phase("Pending").withInitContainerStatuses(status(false, 0, waiting("PodInitializing"))).build()),
                        List.of("initializing", "0/1", "Init:0/1", "0", "<unknown>"), NO_CONDITIONS),
                arguments("printPod: a failed init container with a reason shows Init:<reason>",
                        pod("init-error", 1, 1, phase("Pending").withInitContainerStatuses(status(false, 0, terminated("Error", 1))).build()),
                        List.of("init-error", "0/1", "Init:Error", "0", "<unknown>"), NO_CONDITIONS),
                arguments("printPod: a failed init container without a reason shows Init:ExitCode:<code>",
                        pod("init-exit", 1, 1, phase("Pending").withInitContainerStatuses(status(false, 0, terminated(null, 3))).build()),
                        List.of("init-exit", "0/1", "Init:ExitCode:3", "0", "<unknown>"), NO_CONDITIONS),
                arguments("printPod: a signalled init container without a reason shows Init:Signal:<signal>",
                        pod("init-signal", 1, 1, phase("Pending").withInitContainerStatuses(status(false, 0, signalled(9))).build()),
                        List.of("init-signal", "0/1", "Init:Signal:9", "0", "<unknown>"), NO_CONDITIONS),
                arguments("printPod: a crash-looping container shows its waiting reason",
                        pod("looping", 1, phase("Running").withContainerStatuses(restarted(false, 5, waiting("CrashLoopBackOff"), 300)).build()),
                        List.of("looping", "0/1", "CrashLoopBackOff", "5 (5m ago)", "<unknown>"), NO_CONDITIONS),
                arguments("printPod: a container ended without a reason shows ExitCode:<code>",
                        pod("exited", 1, phase("Failed").withContainerStatuses(status(false, 0, terminated(null, 2))).build()),
                        List.of("exited", "0/1", "ExitCode:2", "0", "<unknown>"), FAILED),
                arguments("printPod: a container killed by a signal without a reason shows Signal:<signal>",
                        pod("killed", 1, phase("Running").withContainerStatuses(status(false, 0, signalled(15))).build()),
                        List.of("killed", "0/1", "Signal:15", "0", "<unknown>"), NO_CONDITIONS),
                arguments("printPod: a deleted pod on a lost node shows Unknown",
                        deleted(pod("lost", 1, phase("Running").withReason("NodeLost").withContainerStatuses(runningReady(0)).build())),
                        List.of("lost", "1/1", "Unknown", "0", "<unknown>"), NO_CONDITIONS),
                arguments("printPod: restarts whose last termination has no time show the count alone",
                        pod("no-time", 1, phase("Running").withContainerStatuses(status(true, 2, running())).build()),
                        List.of("no-time", "1/1", "Running", "2", "<unknown>"), NO_CONDITIONS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void printPod(String upstreamCase, Pod pod, List<Object> cells, List<RowCondition> conditions) {
        assertThat(narrow(PodTable.TABLE, pod)).containsExactlyElementsOf(cells);
        assertThat(PodTable.TABLE.print(pod, Printed.AGES).conditions()).isEqualTo(conditions);
    }

    static Stream<Arguments> printPodWide() {
        List<PodReadinessGate> gates = List.of(new PodReadinessGate("condition1"), new PodReadinessGate("condition2"),
                new PodReadinessGate("condition3"));
        List<PodCondition> gateConditions = List.of(condition("condition1", "False"), condition("condition2", "True"));
        return Stream.of(
                arguments("TestPrintPodwide: NodeName and PodIP are not none",
                        new PodBuilder().withMetadata(named("test1")).withSpec(spec(0, 2)).editSpec().withNodeName("test1")
                                .withReadinessGates(gates).endSpec().withStatus(phase("podPhase").withConditions(gateConditions)
                                        .withPodIPs(new PodIP("1.1.1.1")).withContainerStatuses(runningReady(3), restarts(3))
                                        .withNominatedNodeName("node1").build()).build(),
                        List.of("test1", "1/2", "podPhase", "6", "<unknown>", "1.1.1.1", "test1", "node1", "1/3")),
                arguments("TestPrintPodwide: NodeName and PodIP are not none (dual-stack, the first IP)",
                        new PodBuilder().withMetadata(named("test1")).withSpec(spec(0, 2)).editSpec().withNodeName("test1")
                                .withReadinessGates(gates).endSpec().withStatus(phase("podPhase").withConditions(gateConditions)
                                        .withPodIPs(new PodIP("1.1.1.1"), new PodIP("2001:db8::")).withContainerStatuses(runningReady(3), restarts(3))
                                        .withNominatedNodeName("node1").build()).build(),
                        List.of("test1", "1/2", "podPhase", "6", "<unknown>", "1.1.1.1", "test1", "node1", "1/3")),
                arguments("TestPrintPodwide: NodeName and PodIP are none",
                        pod("test2", 2, phase("podPhase").withContainerStatuses(runningReady(3), status(false, 3, waiting("ContainerWaitingReason"))).build()),
                        List.of("test2", "1/2", "ContainerWaitingReason", "6", "<unknown>", "<none>", "<none>", "<none>", "<none>")),
                arguments("v1 podIP: the IP the kubelet reports when podIPs is not set",
                        pod("v1-ip", 1, phase("Running").withPodIP("10.244.0.7").build()),
                        List.of("v1-ip", "0/1", "Running", "0", "<unknown>", "10.244.0.7", "<none>", "<none>", "<none>")),
                arguments("v1 podIP: podIP wins over a differing podIPs[0], as the v1 conversion decides",
                        pod("v1-ip", 1, phase("Running").withPodIP("10.244.0.7").withPodIPs(new PodIP("10.244.0.8")).build()),
                        List.of("v1-ip", "0/1", "Running", "0", "<unknown>", "10.244.0.7", "<none>", "<none>", "<none>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void printPodWide(String upstreamCase, Pod pod, List<Object> cells) {
        assertThat(wide(PodTable.TABLE, pod)).containsExactlyElementsOf(cells);
    }

    @Test
    void printPodListTestPrintPodListPrintsEveryPodInOrder() {
        Pod first = pod("test1", 2, phase("podPhase").withContainerStatuses(runningReady(3), runningReady(3)).build());
        Pod second = pod("test2", 1, phase("podPhase").withContainerStatuses(runningReady(1)).build());

        Table table = new TablePrinter(Printed.CLOCK).table(dev.berth.platform.model.ResourceKind.POD, List.of(first, second),
                IncludeObject.NONE, "7", null);

        assertThat(table.rows()).extracting(r -> r.cells().subList(0, 5)).containsExactly(
                List.of("test1", "2/2", "podPhase", "6", "<unknown>"),
                List.of("test2", "1/1", "podPhase", "1", "<unknown>"));
    }

    @Test
    void anEmptyPodPrintsTestTableRowDeepCopyShouldNotPanic() {
        assertThat(wide(PodTable.TABLE, new Pod()))
                .containsExactly("", "0/0", "", "0", "<unknown>", "<none>", "<none>", "<none>", "<none>");
    }

    @Test
    void columnsAreUpstreamsPodColumnDefinitions() {
        assertThat(PodTable.TABLE.columns()).extracting(TableColumn::name, TableColumn::type, TableColumn::priority).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Name", "string", 0),
                org.assertj.core.groups.Tuple.tuple("Ready", "string", 0),
                org.assertj.core.groups.Tuple.tuple("Status", "string", 0),
                org.assertj.core.groups.Tuple.tuple("Restarts", "string", 0),
                org.assertj.core.groups.Tuple.tuple("Age", "string", 0),
                org.assertj.core.groups.Tuple.tuple("IP", "string", 1),
                org.assertj.core.groups.Tuple.tuple("Node", "string", 1),
                org.assertj.core.groups.Tuple.tuple("Nominated Node", "string", 1),
                org.assertj.core.groups.Tuple.tuple("Readiness Gates", "string", 1));
        assertThat(PodTable.TABLE.columns().get(0).format()).isEqualTo("name");
        assertThat(PodTable.TABLE.columns().get(5).description())
                .isEqualTo("podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.");
    }

    // --- builders: upstream's make([]api.Container, n) are containers with nothing set

    private static Pod pod(String name, int containers, PodStatus status) {
        return pod(name, 0, containers, status);
    }

    private static Pod pod(String name, int initContainers, int containers, PodStatus status) {
        return new PodBuilder().withMetadata(named(name)).withSpec(spec(initContainers, containers)).withStatus(status).build();
    }

    private static PodSpec spec(int initContainers, int containers) {
        PodSpec spec = new PodSpec();
        spec.setInitContainers(new ArrayList<>(IntStream.range(0, initContainers).mapToObj(i -> new Container()).toList()));
        spec.setContainers(new ArrayList<>(IntStream.range(0, containers).mapToObj(i -> new Container()).toList()));
        return spec;
    }

    /** Two sidecars (restartPolicy Always) named restartable-init-1/2 and one plain container. */
    private static Pod sidecars(String name, PodStatus status) {
        return new PodBuilder().withMetadata(named(name)).withNewSpec()
                .withInitContainers(container("restartable-init-1", null, "Always"), container("restartable-init-2", null, "Always"))
                .withContainers(new Container()).endSpec().withStatus(status).build();
    }

    private static Container container(String name, String image, String restartPolicy) {
        return new ContainerBuilder().withName(name).withImage(image).withRestartPolicy(restartPolicy).build();
    }

    private static Pod deleted(Pod pod) {
        ObjectMeta meta = new ObjectMetaBuilder(pod.getMetadata()).withDeletionTimestamp(DELETED).build();
        pod.setMetadata(meta);
        return pod;
    }

    private static PodStatusBuilder phase(String phase) {
        return new PodStatusBuilder().withPhase(phase);
    }

    private static PodCondition condition(String type, String status) {
        return new PodConditionBuilder().withType(type).withStatus(status).build();
    }

    private static ContainerStatus status(boolean ready, int restarts, ContainerState state) {
        return new ContainerStatusBuilder().withReady(ready).withRestartCount(restarts).withState(state).build();
    }

    private static ContainerStatus statusOf(String name) {
        return new ContainerStatusBuilder().withName(name).build();
    }

    private static ContainerStatus runningReady(int restarts) {
        return status(true, restarts, running());
    }

    /** {@code {RestartCount: n}}: no state at all. */
    private static ContainerStatus restarts(int restarts) {
        return status(false, restarts, null);
    }

    /** A container whose previous run ended {@code secondsAgo} ago. */
    private static ContainerStatus restarted(boolean ready, int restarts, ContainerState state, int secondsAgo) {
        return new ContainerStatusBuilder(status(ready, restarts, state)).withLastState(finishedAgo(secondsAgo)).build();
    }

    private static ContainerStatus sidecar(String name, int restarts, ContainerState state, boolean started, Integer lastEndedSecondsAgo) {
        ContainerStatusBuilder b = new ContainerStatusBuilder().withName(name).withReady(false).withRestartCount(restarts).withState(state)
                .withStarted(started);
        if (lastEndedSecondsAgo != null) {
            b.withLastState(finishedAgo(lastEndedSecondsAgo));
        }
        return b.build();
    }

    private static ContainerState finishedAgo(int seconds) {
        return new ContainerStateBuilder().withNewTerminated().withFinishedAt(ago(Duration.ofSeconds(seconds))).endTerminated().build();
    }

    private static int days(int days) {
        return (int) Duration.ofDays(days).toSeconds();
    }

    private static ContainerState running() {
        return new ContainerStateBuilder().withNewRunning().endRunning().build();
    }

    private static ContainerState waiting(String reason) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).endWaiting().build();
    }

    private static ContainerState terminated(String reason, int exitCode) {
        return new ContainerStateBuilder().withNewTerminated().withReason(reason).withExitCode(exitCode).endTerminated().build();
    }

    private static ContainerState signalled(int signal) {
        return new ContainerStateBuilder().withNewTerminated().withExitCode(128 + signal).withSignal(signal).endTerminated().build();
    }
}
