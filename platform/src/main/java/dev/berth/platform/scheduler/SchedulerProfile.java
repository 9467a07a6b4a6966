package dev.berth.platform.scheduler;

import dev.berth.platform.scheduler.plugins.NodeAffinity;
import dev.berth.platform.scheduler.plugins.NodePorts;
import dev.berth.platform.scheduler.plugins.NodeResourcesBalancedAllocation;
import dev.berth.platform.scheduler.plugins.NodeResourcesFit;
import dev.berth.platform.scheduler.plugins.NodeResourcesLeastAllocated;
import dev.berth.platform.scheduler.plugins.NodeResourcesMostAllocated;
import dev.berth.platform.scheduler.plugins.NodeUnschedulable;
import dev.berth.platform.scheduler.plugins.PodTopologySpread;
import dev.berth.platform.scheduler.plugins.TaintToleration;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Which plugins a scheduler runs: filters in the order given (cheapest and most selective first) and
 * scores with their weights. A plugin's pre-filter / pre-score runs when it is enabled as a filter /
 * score. Immutable.
 *
 * @param percentageOfNodesToScore 0 for kube-scheduler's adaptive percentage (see {@link FeasibleNodeLimit}), else 1..100
 */
public record SchedulerProfile(String schedulerName, List<String> filters, List<WeightedScore> scores,
                               int percentageOfNodesToScore) {

    /** Pods naming this scheduler ({@code spec.schedulerName}) are Berth's when it runs as a secondary scheduler. */
    public static final String DEFAULT_SCHEDULER_NAME = "berth";

    /** A score plugin and the factor its normalised 0..100 score is multiplied by. */
    public record WeightedScore(String plugin, int weight) {
        public WeightedScore {
            Objects.requireNonNull(plugin, "plugin");
            if (weight < 1) {
                throw new IllegalArgumentException("weight of " + plugin + " must be at least 1, got " + weight);
            }
        }
    }

    public SchedulerProfile {
        Objects.requireNonNull(schedulerName, "schedulerName");
        filters = List.copyOf(filters);
        scores = List.copyOf(scores);
        if (new HashSet<>(filters).size() != filters.size()) {
            throw new IllegalArgumentException("a filter is enabled twice: " + filters);
        }
        if (scores.stream().map(WeightedScore::plugin).distinct().count() != scores.size()) {
            throw new IllegalArgumentException("a score is enabled twice: " + scores);
        }
        if (percentageOfNodesToScore < 0 || percentageOfNodesToScore > 100) {
            throw new IllegalArgumentException("percentageOfNodesToScore must be 0..100, got " + percentageOfNodesToScore);
        }
    }

    /**
     * kube-scheduler's default filter order (which is also cheapest-first for typical pods: each check
     * returns at once when the pod or node has nothing for it) and its default score weights, with
     * LeastAllocated spreading load.
     */
    public static SchedulerProfile defaultProfile() {
        return new SchedulerProfile(DEFAULT_SCHEDULER_NAME,
                List.of(NodeUnschedulable.NAME, TaintToleration.NAME, NodeAffinity.NAME, NodePorts.NAME,
                        NodeResourcesFit.NAME, PodTopologySpread.NAME),
                List.of(new WeightedScore(NodeResourcesLeastAllocated.NAME, 1),
                        new WeightedScore(NodeResourcesBalancedAllocation.NAME, 1),
                        new WeightedScore(PodTopologySpread.NAME, 2),
                        new WeightedScore(TaintToleration.NAME, 3)),
                0);
    }

    /** The default profile packing pods onto the fullest nodes (MostAllocated instead of LeastAllocated). */
    public static SchedulerProfile binPacking() {
        return defaultProfile().withoutScore(NodeResourcesLeastAllocated.NAME).withScore(NodeResourcesMostAllocated.NAME, 1);
    }

    /** This profile with {@code plugin} scoring at {@code weight} (replacing its weight if already enabled). */
    public SchedulerProfile withScore(String plugin, int weight) {
        List<WeightedScore> changed = new ArrayList<>(withoutScore(plugin).scores);
        changed.add(new WeightedScore(plugin, weight));
        return new SchedulerProfile(schedulerName, filters, changed, percentageOfNodesToScore);
    }

    public SchedulerProfile withoutScore(String plugin) {
        return new SchedulerProfile(schedulerName, filters,
                scores.stream().filter(s -> !s.plugin().equals(plugin)).toList(), percentageOfNodesToScore);
    }

    public SchedulerProfile withPercentageOfNodesToScore(int percentage) {
        return new SchedulerProfile(schedulerName, filters, scores, percentage);
    }
}
