package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.framework.FilterPlugin;
import dev.berth.platform.scheduler.framework.PreFilterPlugin;
import dev.berth.platform.scheduler.framework.Status;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.Taint;
import dev.berth.platform.scheduler.model.Toleration;

import java.util.List;

/**
 * Keeps pods off cordoned ({@code spec.unschedulable}) and NotReady nodes, unless the pod tolerates the
 * taint Kubernetes uses for that state ({@link Taint#UNSCHEDULABLE}, {@link Taint#NOT_READY}). The admitted
 * nodes depend on the tolerations only, so pre-filter narrows the cycle to them (cached per tolerations).
 */
public final class NodeUnschedulable implements PreFilterPlugin, FilterPlugin {

    public static final String NAME = "NodeUnschedulable";
    public static final String REASON_UNSCHEDULABLE = "node(s) were unschedulable";
    public static final String REASON_NOT_READY = "node(s) were not ready";

    private static final Status CORDONED = Status.unresolvable(NAME, REASON_UNSCHEDULABLE);
    private static final Status NOT_READY = Status.unresolvable(NAME, REASON_NOT_READY);

    private record AdmittedNodes(List<Toleration> tolerations) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        List<Toleration> tolerations = pod.tolerations();
        state.restrictNodes(NAME, state.snapshot().nodeDerived(new AdmittedNodes(tolerations),
                snapshot -> snapshot.nodesWhere(node -> admits(node, tolerations).isSuccess())));
        return Status.success();
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return admits(node, pod.tolerations());
    }

    /** Whether a pod with {@code tolerations} may be placed on {@code node} as far as cordon and readiness go. */
    public static Status admits(NodeInfo node, List<Toleration> tolerations) {
        if (node.unschedulable() && !Toleration.anyTolerates(tolerations, Taint.UNSCHEDULABLE)) {
            return CORDONED;
        }
        if (!node.ready() && !Toleration.anyTolerates(tolerations, Taint.NOT_READY)) {
            return NOT_READY;
        }
        return Status.success();
    }
}
