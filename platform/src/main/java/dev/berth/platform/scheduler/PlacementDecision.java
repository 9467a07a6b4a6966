package dev.berth.platform.scheduler;

import dev.berth.platform.scheduler.framework.Status;
import dev.berth.platform.scheduler.model.PodInfo;

/**
 * What the scheduler decided for one pod. Nothing has happened yet: the caller binds or starts the
 * replica, then records it with {@code snapshot.assume(pod, nodeName)}.
 */
public sealed interface PlacementDecision {

    PodInfo pod();

    /**
     * Run the pod on {@code nodeName}.
     *
     * @param score          the winning node's weighted total (0 when only one node was feasible)
     * @param feasibleNodes  nodes that passed every filter before the search stopped
     * @param evaluatedNodes nodes run through the filters
     */
    record Placed(PodInfo pod, String nodeName, long score, int feasibleNodes, int evaluatedNodes) implements PlacementDecision {
    }

    /** No node fits; the pod stays Pending with {@link Diagnosis#message()} as the reason. Retry when the cluster changes. */
    record Unschedulable(PodInfo pod, Diagnosis diagnosis) implements PlacementDecision {
    }

    /** A plugin failed (ERROR status): the decision says nothing about the nodes. Retry with back-off. */
    record Failed(PodInfo pod, Status status) implements PlacementDecision {
    }
}
