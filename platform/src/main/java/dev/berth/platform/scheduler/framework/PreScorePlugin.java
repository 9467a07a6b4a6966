package dev.berth.platform.scheduler.framework;

import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;

import java.util.List;

/**
 * Runs once per cycle after filtering, with the feasible nodes: computes what scoring needs, or calls
 * {@link CycleState#skipScore} when this pod gives it nothing to score.
 */
public interface PreScorePlugin extends Plugin {

    Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes);
}
