package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.model.NodeSelectorTerm;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.TopologySpreadConstraint;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import dev.berth.platform.scheduler.snapshot.NodeSet;
import dev.berth.platform.scheduler.snapshot.TopologyDomains;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * One cycle's matching-pod counts per topology domain, one row per spread constraint, counted (as
 * kube-scheduler does) only on nodes that pass the pod's node affinity and, when {@code requireAllKeys},
 * carry every constraint's topology key. Immutable after construction.
 */
final class SpreadCounts {

    final List<TopologySpreadConstraint> constraints;
    final boolean requireAllKeys;
    final TopologyDomains[] domains;
    final int[][] countsByDomain;
    /** Smallest count over the domains that hold an eligible node (what skew is measured against); DoNotSchedule constraints only. */
    final int[] minCount;
    /** 1 if the pod matches its own constraint's selector (it will count once placed), else 0. */
    final int[] selfMatch;

    /** Nodes whose pods count, and which domains of each key contain one; depends on nodes only, so the snapshot caches it. */
    private record EligibleNodes(NodeSet nodes, boolean[][] eligibleDomains, int[] eligibleDomainCount) {
    }

    private record EligibleNodesKey(Map<String, String> nodeSelector, List<NodeSelectorTerm> affinity,
                                    List<String> topologyKeys, boolean requireAllKeys) {
    }

    SpreadCounts(ClusterSnapshot snapshot, PodInfo pod, List<TopologySpreadConstraint> constraints, boolean requireAllKeys) {
        this.constraints = constraints;
        this.requireAllKeys = requireAllKeys;
        int size = constraints.size();
        List<String> keys = new ArrayList<>(size);
        for (TopologySpreadConstraint constraint : constraints) {
            keys.add(constraint.topologyKey());
        }
        EligibleNodes eligible = snapshot.nodeDerived(
                new EligibleNodesKey(pod.nodeSelector(), pod.requiredNodeAffinity(), keys, requireAllKeys),
                s -> eligibleNodes(s, pod, keys, requireAllKeys));
        domains = new TopologyDomains[size];
        countsByDomain = new int[size][];
        minCount = new int[size];
        selfMatch = new int[size];
        for (int i = 0; i < size; i++) {
            TopologySpreadConstraint constraint = constraints.get(i);
            domains[i] = snapshot.topologyDomains(constraint.topologyKey());
            countsByDomain[i] = new int[domains[i].domainCount()];
            if (constraint.labelSelector() == null) {
                continue;
            }
            int domainsWithPods = snapshot.countMatchingPods(pod.namespace(), constraint.labelSelector(), domains[i],
                    eligible.nodes(), countsByDomain[i]);
            // while some eligible domain holds no matching pod the minimum is 0; only when all do is it looked up
            if (constraint.isHard() && domainsWithPods == eligible.eligibleDomainCount()[i]) {
                minCount[i] = minOver(countsByDomain[i], eligible.eligibleDomains()[i]);
            }
            selfMatch[i] = constraint.labelSelector().matches(pod.labels()) ? 1 : 0;
        }
    }

    /** The matching-pod count of the domain holding node {@code nodeIndex} for constraint {@code i}, or -1 if the node lacks the key. */
    int countAt(int i, int nodeIndex) {
        int domain = domains[i].domainOf(nodeIndex);
        return domain < 0 ? -1 : countsByDomain[i][domain];
    }

    /** Whether the node at {@code nodeIndex} carries every constraint's topology key. */
    boolean hasAllKeys(int nodeIndex) {
        for (TopologyDomains domain : domains) {
            if (domain.domainOf(nodeIndex) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int minOver(int[] counts, boolean[] eligibleDomains) {
        int min = Integer.MAX_VALUE;
        for (int d = 0; d < counts.length; d++) {
            if (eligibleDomains[d]) {
                min = Math.min(min, counts[d]);
            }
        }
        return min == Integer.MAX_VALUE ? 0 : min;
    }

    private static EligibleNodes eligibleNodes(ClusterSnapshot snapshot, PodInfo pod, List<String> keys, boolean requireAllKeys) {
        int nodeCount = snapshot.nodeCount();
        TopologyDomains[] domains = new TopologyDomains[keys.size()];
        for (int k = 0; k < keys.size(); k++) {
            domains[k] = snapshot.topologyDomains(keys.get(k));
        }
        boolean[][] eligibleDomains = new boolean[keys.size()][];
        for (int k = 0; k < keys.size(); k++) {
            eligibleDomains[k] = new boolean[domains[k].domainCount()];
        }
        BitSet nodes = new BitSet(nodeCount);
        NodeSet matchingAffinity = NodeAffinity.matchingNodes(snapshot, pod.nodeSelector(), pod.requiredNodeAffinity());
        for (int n = 0; n < nodeCount; n++) {
            if (!matchingAffinity.contains(n)) {
                continue;
            }
            boolean hasAll = true;
            for (TopologyDomains domain : domains) {
                hasAll &= domain.domainOf(n) >= 0;
            }
            if (requireAllKeys && !hasAll) {
                continue;
            }
            nodes.set(n);
            for (int k = 0; k < keys.size(); k++) {
                int domain = domains[k].domainOf(n);
                if (domain >= 0) {
                    eligibleDomains[k][domain] = true;
                }
            }
        }
        int[] eligibleDomainCount = new int[keys.size()];
        for (int k = 0; k < keys.size(); k++) {
            for (boolean eligible : eligibleDomains[k]) {
                eligibleDomainCount[k] += eligible ? 1 : 0;
            }
        }
        return new EligibleNodes(nodes.cardinality() == nodeCount ? null : NodeSet.of(nodes), eligibleDomains, eligibleDomainCount);
    }
}
