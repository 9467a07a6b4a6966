package dev.berth.platform.scheduler.framework;

import dev.berth.platform.scheduler.model.PodInfo;

/**
 * Runs once per scheduling cycle before any filter: computes what the filter needs into the
 * {@link CycleState}, or calls {@link CycleState#skipFilter} when it has nothing to check for this pod.
 */
public interface PreFilterPlugin extends Plugin {

    /** A non-success status makes the pod unschedulable on every node (or fails the cycle on ERROR). */
    Status preFilter(CycleState state, PodInfo pod);
}
