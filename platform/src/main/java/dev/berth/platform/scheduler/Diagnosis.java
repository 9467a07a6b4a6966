package dev.berth.platform.scheduler;

import dev.berth.platform.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Why a pod fits no node, aggregated over all nodes: how many nodes gave each reason (a node may give
 * several, e.g. both "Insufficient cpu" and "Insufficient memory"). {@link #message()} renders it exactly
 * as kube-scheduler's FitError for the replica's event and {@code berth describe}.
 *
 * @param reasons most frequent first, ties by reason text
 */
public record Diagnosis(int totalNodes, List<ReasonCount> reasons) {

    /** {@code nodes} nodes rejected the pod for {@code reason}. */
    public record ReasonCount(String reason, int nodes) {
    }

    private static final Comparator<ReasonCount> MOST_FREQUENT_FIRST =
            Comparator.comparingInt(ReasonCount::nodes).reversed().thenComparing(ReasonCount::reason);

    public Diagnosis {
        reasons = reasons.stream().sorted(MOST_FREQUENT_FIRST).toList();
    }

    /** Tallies the reasons of every node's rejecting status. */
    static Diagnosis of(int totalNodes, List<Status> rejections) {
        Map<String, Integer> counts = new HashMap<>();
        for (Status rejection : rejections) {
            for (String reason : rejection.reasons()) {
                counts.merge(reason, 1, Integer::sum);
            }
        }
        List<ReasonCount> reasons = new ArrayList<>();
        counts.forEach((reason, nodes) -> reasons.add(new ReasonCount(reason, nodes)));
        return new Diagnosis(totalNodes, reasons);
    }

    /** A pre-filter rejected the pod before any node was looked at: its reasons hold for every node. */
    static Diagnosis rejectedByPreFilter(int totalNodes, Status rejection) {
        return new Diagnosis(totalNodes, rejection.reasons().stream().distinct().map(reason -> new ReasonCount(reason, totalNodes)).toList());
    }

    /** Reason → node count, most frequent first: for an Event's fields or a table. */
    public Map<String, Integer> countsByReason() {
        return reasons.stream().collect(Collectors.toMap(ReasonCount::reason, ReasonCount::nodes, (a, b) -> a, java.util.LinkedHashMap::new));
    }

    /** E.g. {@code 0/3 nodes are available: 2 Insufficient memory, 1 node(s) had untolerated taint {dedicated: infra}.} */
    public String message() {
        if (totalNodes == 0) {
            return "no nodes available to schedule pods";
        }
        return "0/" + totalNodes + " nodes are available: "
                + reasons.stream().map(r -> r.nodes() + " " + r.reason()).collect(Collectors.joining(", ")) + ".";
    }
}
