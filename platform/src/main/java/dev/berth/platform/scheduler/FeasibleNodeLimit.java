package dev.berth.platform.scheduler;

/**
 * How many feasible nodes a cycle looks for before it stops filtering and scores what it found —
 * kube-scheduler's {@code numFeasibleNodesToFind}, with its numbers: every node below 100 nodes;
 * otherwise an adaptive {@code 50 − nodes/125} percent, at least 5 %, and never fewer than 100 nodes.
 * Worked examples: 50 nodes → 50; 1,000 → 42 % = 420; 5,000 → 10 % = 500; 10,000 → 5 % = 500.
 */
public final class FeasibleNodeLimit {

    static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
    static final int BASE_PERCENTAGE_OF_NODES_TO_SCORE = 50;
    static final int NODES_PER_PERCENTAGE_POINT = 125;

    private FeasibleNodeLimit() {
    }

    /**
     * @param percentageOfNodesToScore a profile's fixed percentage (1..100), or 0 for the adaptive one
     */
    public static int numFeasibleNodesToFind(int allNodes, int percentageOfNodesToScore) {
        if (allNodes < MIN_FEASIBLE_NODES_TO_FIND || percentageOfNodesToScore >= 100) {
            return allNodes;
        }
        int percentage = percentageOfNodesToScore;
        if (percentage <= 0) {
            percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND,
                    BASE_PERCENTAGE_OF_NODES_TO_SCORE - allNodes / NODES_PER_PERCENTAGE_POINT);
        }
        int nodes = (int) ((long) allNodes * percentage / 100);
        return Math.max(nodes, MIN_FEASIBLE_NODES_TO_FIND);
    }
}
