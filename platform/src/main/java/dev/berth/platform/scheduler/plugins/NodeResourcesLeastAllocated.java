package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.framework.ScorePlugin;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.Resources;

/** Prefers nodes with the most CPU and memory left after placing the pod: spreads load (the default). */
public final class NodeResourcesLeastAllocated implements ScorePlugin {

    public static final String NAME = "NodeResourcesLeastAllocated";

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
     * Mean over CPU and memory of {@code (allocatable − requested) × 100 / allocatable}, 0 when requested
     * exceeds allocatable; a resource the node has none of is left out. Example: 1 of 4 cores and 8 of
     * 16 GiB requested → (75 + 50) / 2 = 62.
     */
    public static long score(long requestedCpu, long allocatableCpu, long requestedMemory, long allocatableMemory) {
        long sum = 0;
        int resources = 0;
        if (allocatableCpu > 0) {
            sum += requestedCpu > allocatableCpu ? 0 : (allocatableCpu - requestedCpu) * MAX_NODE_SCORE / allocatableCpu;
            resources++;
        }
        if (allocatableMemory > 0) {
            sum += requestedMemory > allocatableMemory ? 0 : (allocatableMemory - requestedMemory) * MAX_NODE_SCORE / allocatableMemory;
            resources++;
        }
        return resources == 0 ? 0 : sum / resources;
    }
}
