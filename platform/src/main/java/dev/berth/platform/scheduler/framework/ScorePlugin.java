package dev.berth.platform.scheduler.framework;

import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;

import java.util.Optional;

/**
 * Ranks a feasible node for a pod. Raw scores must end up in {@code 0..}{@link #MAX_NODE_SCORE}: either
 * directly, or through {@link #scoreExtensions()}'s normalisation over all feasible nodes.
 */
public interface ScorePlugin extends Plugin {

    long MAX_NODE_SCORE = 100;

    /** A raw score for {@code node}, one of {@code state.snapshot()}'s nodes that passed every filter. */
    long score(CycleState state, PodInfo pod, NodeInfo node);

    /** Normalisation over the cycle's scores, when raw scores are not already 0..100. */
    default Optional<ScoreExtensions> scoreExtensions() {
        return Optional.empty();
    }
}
