package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.framework.FilterPlugin;
import dev.berth.platform.scheduler.framework.PreFilterPlugin;
import dev.berth.platform.scheduler.framework.Status;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.Resources;

import java.util.ArrayList;
import java.util.List;

/** The pod's CPU and memory requests must fit into the node's allocatable minus what its pods request, and a pod slot must be free. */
public final class NodeResourcesFit implements PreFilterPlugin, FilterPlugin {

    public static final String NAME = "NodeResourcesFit";
    public static final String REASON_TOO_MANY_PODS = "Too many pods";
    public static final String REASON_CPU = "Insufficient cpu";
    public static final String REASON_MEMORY = "Insufficient memory";

    private static final int TOO_MANY_PODS = 1;
    private static final int CPU = 2;
    private static final int MEMORY = 4;
    /** One shared status per combination of shortfalls, so a rejection allocates nothing. */
    private static final Status[] STATUS_BY_SHORTFALL = new Status[8];

    static {
        STATUS_BY_SHORTFALL[0] = Status.success();
        for (int shortfall = 1; shortfall < 8; shortfall++) {
            List<String> reasons = new ArrayList<>();
            if ((shortfall & TOO_MANY_PODS) != 0) {
                reasons.add(REASON_TOO_MANY_PODS);
            }
            if ((shortfall & CPU) != 0) {
                reasons.add(REASON_CPU);
            }
            if ((shortfall & MEMORY) != 0) {
                reasons.add(REASON_MEMORY);
            }
            STATUS_BY_SHORTFALL[shortfall] = new Status(Status.Code.UNSCHEDULABLE, reasons, NAME);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        PodRequests.of(state, pod);
        return Status.success();
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return fitsRequest(PodRequests.of(state, pod).requests(), node);
    }

    /** kube-scheduler's {@code fitsRequest}: every shortfall is a reason; a zero request never falls short. */
    public static Status fitsRequest(Resources request, NodeInfo node) {
        int shortfall = 0;
        if (node.podCount() + 1 > node.maxPods()) {
            shortfall |= TOO_MANY_PODS;
        }
        if (request.milliCpu() > 0 && request.milliCpu() > node.freeMilliCpu()) {
            shortfall |= CPU;
        }
        if (request.memoryBytes() > 0 && request.memoryBytes() > node.freeMemoryBytes()) {
            shortfall |= MEMORY;
        }
        return STATUS_BY_SHORTFALL[shortfall];
    }
}
