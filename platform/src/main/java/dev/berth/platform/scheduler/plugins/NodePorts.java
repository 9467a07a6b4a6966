package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.framework.FilterPlugin;
import dev.berth.platform.scheduler.framework.PreFilterPlugin;
import dev.berth.platform.scheduler.framework.Status;
import dev.berth.platform.scheduler.model.HostPort;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;

import java.util.List;

/** The host ports a pod binds must be free on the node. */
public final class NodePorts implements PreFilterPlugin, FilterPlugin {

    public static final String NAME = "NodePorts";
    public static final String REASON = "node(s) didn't have free ports for the requested pod ports";

    private static final Status CONFLICT = Status.unschedulable(NAME, REASON);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        if (pod.hostPorts().isEmpty()) {
            state.skipFilter(NAME);
        }
        return Status.success();
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return fits(pod.hostPorts(), node.usedHostPorts()) ? Status.success() : CONFLICT;
    }

    /** True if none of {@code wanted} conflicts with any of {@code used}. */
    public static boolean fits(List<HostPort> wanted, List<HostPort> used) {
        for (int i = 0; i < wanted.size(); i++) {
            for (int j = 0; j < used.size(); j++) {
                if (wanted.get(i).conflictsWith(used.get(j))) {
                    return false;
                }
            }
        }
        return true;
    }
}
