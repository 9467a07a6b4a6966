package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.framework.FilterPlugin;
import dev.berth.platform.scheduler.framework.PreFilterPlugin;
import dev.berth.platform.scheduler.framework.Status;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.NodeSelectorTerm;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import dev.berth.platform.scheduler.snapshot.NodeSet;

import java.util.List;
import java.util.Map;

/**
 * A node must carry every {@code nodeSelector} label and match one of the required affinity terms (if
 * any). Replicas of a template share their selector, so the matching nodes are computed once per
 * selector (cached by the snapshot until a node changes) and pre-filter narrows the cycle to them.
 */
public final class NodeAffinity implements PreFilterPlugin, FilterPlugin {

    public static final String NAME = "NodeAffinity";
    public static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    private static final Status MISMATCH = Status.unresolvable(NAME, REASON);

    private record Selector(Map<String, String> nodeSelector, List<NodeSelectorTerm> requiredTerms) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        if (pod.nodeSelector().isEmpty() && pod.requiredNodeAffinity().isEmpty()) {
            state.skipFilter(NAME);
        } else {
            state.restrictNodes(NAME, matchingNodes(state.snapshot(), pod.nodeSelector(), pod.requiredNodeAffinity()));
        }
        return Status.success();
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return matches(pod.nodeSelector(), pod.requiredNodeAffinity(), node) ? Status.success() : MISMATCH;
    }

    /** The snapshot's nodes that {@link #matches} accepts, remembered by the snapshot per selector. */
    static NodeSet matchingNodes(ClusterSnapshot snapshot, Map<String, String> nodeSelector, List<NodeSelectorTerm> requiredTerms) {
        return snapshot.nodeDerived(new Selector(nodeSelector, requiredTerms),
                s -> s.nodesWhere(node -> matches(nodeSelector, requiredTerms, node)));
    }

    /** {@code nodeSelector} entries ANDed, then {@code requiredTerms} ORed (no terms: no requirement). */
    public static boolean matches(Map<String, String> nodeSelector, List<NodeSelectorTerm> requiredTerms, NodeInfo node) {
        Map<String, String> labels = node.labels();
        for (Map.Entry<String, String> wanted : nodeSelector.entrySet()) {
            if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
                return false;
            }
        }
        if (requiredTerms.isEmpty()) {
            return true;
        }
        for (int i = 0; i < requiredTerms.size(); i++) {
            if (requiredTerms.get(i).matches(node.name(), labels)) {
                return true;
            }
        }
        return false;
    }
}
