package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Cells.count;
import static dev.berth.platform.apiserver.printing.Cells.isEmpty;
import static dev.berth.platform.apiserver.printing.Cells.list;
import static dev.berth.platform.apiserver.printing.Cells.orNone;
import static dev.berth.platform.apiserver.printing.Cells.str;

import dev.berth.platform.apiserver.printing.KindTable.Row;
import dev.berth.platform.apiserver.printing.Table.RowCondition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kubectl get pods}: upstream's {@code printPod}. STATUS is the pod's phase unless something more telling
 * overrides it: a pod reason, {@code SchedulingGated}, the first init container not done ({@code Init:0/2},
 * {@code Init:CrashLoopBackOff}, {@code Init:ExitCode:1}), then the containers' own waiting/terminated reasons
 * ({@code CrashLoopBackOff}, {@code Completed}, {@code Signal:9}), and finally {@code Terminating} (or
 * {@code Unknown} for a pod on a lost node) once deletion started. RESTARTS counts what the phase reached:
 * {@code "3 (5m ago)"} with the latest termination. Pure.
 */
final class PodTable {

    /** {@code PodStatus{}.SwaggerDoc()["podIP"]}. */
    private static final String PODSTATUS_PODIP =
            "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet "
            + "allocated.";
    /** {@code PodSpec{}.SwaggerDoc()["nodeName"]}. */
    private static final String PODSPEC_NODENAME =
            "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for "
            + "scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for "
            + "this node becomes responsible for the lifecycle of this pod. This field should not be used to "
            + "express a desire for the pod to be scheduled on a specific node. "
            + "https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename";
    /** {@code PodStatus{}.SwaggerDoc()["nominatedNodeName"]}. */
    private static final String PODSTATUS_NOMINATEDNODENAME =
            "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be "
            + "scheduled right away as preemption victims receive their graceful termination periods. This "
            + "field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to "
            + "place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to "
            + "give the resources on this node to a higher priority pod that is created after preemption. As "
            + "a result, this field may be different than PodSpec.nodeName when the pod is scheduled.";
    /** {@code PodSpec{}.SwaggerDoc()["readinessGates"]}. */
    private static final String PODSPEC_READINESSGATES =
            "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all "
            + "its containers are ready AND all conditions specified in the readiness gates have status equal "
            + "to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates";

    static final KindTable<Pod> TABLE = new KindTable<>("v1", "Pod", Pod.class, List.of(
            TableColumn.NAME,
            TableColumn.string("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            TableColumn.string("Status", "The aggregate status of the containers in this pod."),
            TableColumn.string("Restarts", "The number of times the containers in this pod have been restarted and when the last "
                    + "container in this pod has restarted."),
            TableColumn.AGE,
            TableColumn.wide("IP", PODSTATUS_PODIP),
            TableColumn.wide("Node", PODSPEC_NODENAME),
            TableColumn.wide("Nominated Node", PODSTATUS_NOMINATEDNODENAME),
            TableColumn.wide("Readiness Gates", PODSPEC_READINESSGATES)), PodTable::print);

    static final List<RowCondition> POD_SUCCESS_CONDITIONS =
            List.of(new RowCondition("Completed", "True", "Succeeded", "The pod has completed successfully."));
    static final List<RowCondition> POD_FAILED_CONDITIONS = List.of(new RowCondition("Completed", "True", "Failed", "The pod failed."));

    /** {@code node.NodeUnreachablePodReason}: the node controller's reason for pods on a lost node. */
    private static final String NODE_LOST = "NodeLost";

    private PodTable() {}

    static Row print(Pod pod, Ages ages) {
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        int restarts = 0;
        int restartableInitContainerRestarts = 0;
        int totalContainers = list(spec.getContainers()).size();
        int readyContainers = 0;
        Instant lastRestartDate = null;
        Instant lastRestartableInitContainerRestartDate = null;

        String podPhase = str(status.getPhase());
        String reason = isEmpty(status.getReason()) ? podPhase : status.getReason();
        for (PodCondition condition : list(status.getConditions())) {
            if ("PodScheduled".equals(condition.getType()) && "SchedulingGated".equals(condition.getReason())) {
                reason = "SchedulingGated";
            }
        }
        List<RowCondition> rowConditions = switch (podPhase) {
            case "Succeeded" -> POD_SUCCESS_CONDITIONS;
            case "Failed" -> POD_FAILED_CONDITIONS;
            default -> List.of();
        };

        Map<String, Container> initContainers = new HashMap<>();
        for (Container c : list(spec.getInitContainers())) {
            initContainers.put(str(c.getName()), c);
            if (isRestartable(c)) {
                totalContainers++;
            }
        }

        boolean initializing = false;
        List<ContainerStatus> initStatuses = list(status.getInitContainerStatuses());
        for (int i = 0; i < initStatuses.size(); i++) {
            ContainerStatus container = initStatuses.get(i);
            restarts += count(container.getRestartCount());
            Instant terminatedDate = lastFinishedAt(container);
            lastRestartDate = later(lastRestartDate, terminatedDate);
            boolean restartable = isRestartable(initContainers.get(str(container.getName())));
            if (restartable) {
                restartableInitContainerRestarts += count(container.getRestartCount());
                lastRestartableInitContainerRestartDate = later(lastRestartableInitContainerRestartDate, terminatedDate);
            }
            ContainerStateTerminated terminated = terminated(container.getState());
            ContainerStateWaiting waiting = waiting(container.getState());
            if (terminated != null && count(terminated.getExitCode()) == 0) {
                continue;
            }
            if (restartable && Boolean.TRUE.equals(container.getStarted())) {
                if (Boolean.TRUE.equals(container.getReady())) {
                    readyContainers++;
                }
                continue;
            }
            if (terminated != null) { // initialization failed
                reason = isEmpty(terminated.getReason()) ? "Init:" + exitDescription(terminated) : "Init:" + terminated.getReason();
            } else if (waiting != null && !isEmpty(waiting.getReason()) && !"PodInitializing".equals(waiting.getReason())) {
                reason = "Init:" + waiting.getReason();
            } else {
                reason = "Init:" + i + "/" + list(spec.getInitContainers()).size();
            }
            initializing = true;
            break;
        }

        if (!initializing || isPodInitializedConditionTrue(status)) {
            restarts = restartableInitContainerRestarts;
            lastRestartDate = lastRestartableInitContainerRestartDate;
            boolean hasRunning = false;
            List<ContainerStatus> statuses = list(status.getContainerStatuses());
            for (int i = statuses.size() - 1; i >= 0; i--) { // the first container's reason wins
                ContainerStatus container = statuses.get(i);
                restarts += count(container.getRestartCount());
                lastRestartDate = later(lastRestartDate, lastFinishedAt(container));
                ContainerStateTerminated terminated = terminated(container.getState());
                ContainerStateWaiting waiting = waiting(container.getState());
                if (waiting != null && !isEmpty(waiting.getReason())) {
                    reason = waiting.getReason();
                } else if (terminated != null && !isEmpty(terminated.getReason())) {
                    reason = terminated.getReason();
                } else if (terminated != null) {
                    reason = exitDescription(terminated);
                } else if (Boolean.TRUE.equals(container.getReady()) && container.getState() != null
                        && container.getState().getRunning() != null) {
                    hasRunning = true;
                    readyContainers++;
                }
            }
            // a pod with a container still running is not Completed
            if (reason.equals("Completed") && hasRunning) {
                reason = hasPodReadyCondition(status) ? "Running" : "NotReady";
            }
        }

        boolean deleting = pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null;
        if (deleting && NODE_LOST.equals(status.getReason())) {
            reason = "Unknown";
        } else if (deleting && !podPhase.equals("Failed") && !podPhase.equals("Succeeded")) {
            reason = "Terminating";
        }

        String restartsCell = Integer.toString(restarts);
        if (restarts != 0 && lastRestartDate != null) {
            restartsCell = restarts + " (" + ages.since(lastRestartDate) + " ago)";
        }
        return new Row(List.of(Cells.name(pod), readyContainers + "/" + totalContainers, reason, restartsCell, ages.created(pod),
                orNone(podIP(status)), orNone(spec.getNodeName()), orNone(status.getNominatedNodeName()), readinessGates(spec, status)),
                rowConditions);
    }

    /** A sidecar: an init container with {@code restartPolicy: Always}. */
    private static boolean isRestartable(Container c) {
        return c != null && "Always".equals(c.getRestartPolicy());
    }

    private static ContainerStateTerminated terminated(ContainerState state) {
        return state == null ? null : state.getTerminated();
    }

    private static ContainerStateWaiting waiting(ContainerState state) {
        return state == null ? null : state.getWaiting();
    }

    private static String exitDescription(ContainerStateTerminated terminated) {
        int signal = count(terminated.getSignal());
        return signal != 0 ? "Signal:" + signal : "ExitCode:" + count(terminated.getExitCode());
    }

    /** When the container's previous run ended, or null when it never ended (or the time is unset). */
    private static Instant lastFinishedAt(ContainerStatus container) {
        ContainerStateTerminated last = terminated(container.getLastState());
        return last == null ? null : Ages.instant(last.getFinishedAt());
    }

    private static Instant later(Instant a, Instant b) {
        if (b == null) {
            return a;
        }
        return a == null || a.isBefore(b) ? b : a;
    }

    private static boolean isPodInitializedConditionTrue(PodStatus status) {
        for (PodCondition c : list(status.getConditions())) {
            if ("Initialized".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    private static boolean hasPodReadyCondition(PodStatus status) {
        return list(status.getConditions()).stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /**
     * The internal API's {@code podIPs[0]}: v1's {@code podIP} wins over {@code podIPs} when both are set and differ,
     * as the v1 conversion decides.
     */
    private static String podIP(PodStatus status) {
        if (!isEmpty(status.getPodIP())) {
            return status.getPodIP();
        }
        return list(status.getPodIPs()).isEmpty() ? "" : str(status.getPodIPs().get(0).getIp());
    }

    private static String readinessGates(PodSpec spec, PodStatus status) {
        List<PodReadinessGate> gates = list(spec.getReadinessGates());
        if (gates.isEmpty()) {
            return Cells.NONE;
        }
        int trueConditions = 0;
        for (PodReadinessGate gate : gates) {
            PodCondition condition = list(status.getConditions()).stream()
                    .filter(c -> str(c.getType()).equals(str(gate.getConditionType()))).findFirst().orElse(null);
            if (condition != null && "True".equals(condition.getStatus())) {
                trueConditions++;
            }
        }
        return trueConditions + "/" + gates.size();
    }
}
