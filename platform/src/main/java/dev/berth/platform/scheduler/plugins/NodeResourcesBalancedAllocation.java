package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.framework.PreScorePlugin;
import dev.berth.platform.scheduler.framework.ScorePlugin;
import dev.berth.platform.scheduler.framework.Status;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.Resources;

import java.util.List;

/**
 * Prefers nodes whose CPU and memory would be used in equal fractions, so neither runs out while the
 * other idles. Skipped for pods that request nothing (kube-scheduler does the same: they would all pile
 * onto the most balanced node).
 */
public final class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {

    public static final String NAME = "NodeResourcesBalancedAllocation";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes) {
        if (PodRequests.of(state, pod).requests().isZero()) {
            state.skipScore(NAME);
        }
        return Status.success();
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        Resources request = PodRequests.of(state, pod).requests();
        return score(node.requestedMilliCpu() + request.milliCpu(), node.allocatableMilliCpu(),
                node.requestedMemoryBytes() + request.memoryBytes(), node.allocatableMemoryBytes());
    }

    /**
     * {@code (1 − |cpuFraction − memoryFraction| / 2) × 100}, each fraction requested/allocatable capped at 1;
     * with fewer than two resources on the node, 100. Example: 50% CPU and 10% memory → 80.
     */
    public static long score(long requestedCpu, long allocatableCpu, long requestedMemory, long allocatableMemory) {
        if (allocatableCpu <= 0 || allocatableMemory <= 0) {
            return MAX_NODE_SCORE;
        }
        double cpuFraction = Math.min(1.0, (double) requestedCpu / allocatableCpu);
        double memoryFraction = Math.min(1.0, (double) requestedMemory / allocatableMemory);
        double deviation = Math.abs(cpuFraction - memoryFraction) / 2;
        return (long) ((1 - deviation) * MAX_NODE_SCORE);
    }
}
