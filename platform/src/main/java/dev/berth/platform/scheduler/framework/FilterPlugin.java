package dev.berth.platform.scheduler.framework;

import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;

/** Decides whether a pod may run on a node. Called for many nodes per cycle: keep it cheap and allocation-free on success. */
public interface FilterPlugin extends Plugin {

    /**
     * {@link Status#success()}, or UNSCHEDULABLE(_AND_UNRESOLVABLE) with the reasons a user reads.
     * {@code node} is one of {@code state.snapshot()}'s nodes (so {@link NodeInfo#index()} indexes into it).
     */
    Status filter(CycleState state, PodInfo pod, NodeInfo node);
}
