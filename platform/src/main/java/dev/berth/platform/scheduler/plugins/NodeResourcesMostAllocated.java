package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.framework.ScorePlugin;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.Resources;

/** Prefers the fullest nodes that still fit: bin-packing, to free whole nodes. Select it in a profile instead of LeastAllocated. */
public final class NodeResourcesMostAllocated implements ScorePlugin {

    public static final String NAME = "NodeResourcesMostAllocated";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        Resources request = PodRequests.of(state, pod).nonZero();
        return score(node.nonZeroRequestedMilliCpu() + request.milliCpu(), node.allocatableMilliCpu(),
                node.nonZeroRequestedMemoryBytes() + request.memoryBytes(), node.allocatableMemoryBytes());
    }

    /**
     * Mean over CPU and memory of {@code requested × 100 / allocatable}, requested capped at allocatable;
     * a resource the node has none of is left out. Example: 1 of 4 cores and 8 of 16 GiB → (25 + 50) / 2 = 37.
     */
    public static long score(long requestedCpu, long allocatableCpu, long requestedMemory, long allocatableMemory) {
        long sum = 0;
        int resources = 0;
        if (allocatableCpu > 0) {
            sum += Math.min(requestedCpu, allocatableCpu) * MAX_NODE_SCORE / allocatableCpu;
            resources++;
        }
        if (allocatableMemory > 0) {
            sum += Math.min(requestedMemory, allocatableMemory) * MAX_NODE_SCORE / allocatableMemory;
            resources++;
        }
        return resources == 0 ? 0 : sum / resources;
    }
}
