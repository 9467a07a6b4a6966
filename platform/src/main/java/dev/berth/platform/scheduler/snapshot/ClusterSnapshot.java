package dev.berth.platform.scheduler.snapshot;

import dev.berth.platform.scheduler.model.LabelSelector;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The cluster a placement loop schedules against: every node with its accounted pods, plus the indexes
 * placement needs (pods per label set per node, topology domains) so no decision rescans all pods.
 * Built once, then kept current with {@link #assume} / {@link #forget} (pods) and {@link #putNode}
 * (node spec or status changes; a node that leaves needs a rebuilt snapshot).
 *
 * <p>Not thread-safe: one placement loop owns a snapshot, and scheduling reads it while nothing
 * mutates it. Reads may fill internal caches, so concurrent reads are not safe either.
 */
public final class ClusterSnapshot {

    /** Node-derived values remembered (eligible-node sets and the like); beyond this the least recently used is recomputed. */
    private static final int CACHED_DERIVED = 1024;

    /** @param labelSet the pod's entry in the spread index, {@code -1} for a terminating pod (not counted) */
    private record Placement(PodInfo pod, int node, int labelSet) {
    }

    private NodeInfo[] nodes;
    private int nodeCount;
    /** Position of each node in name order, for tie-breaks without string comparisons; rebuilt when a node joins. */
    private int[] nameRank = new int[0];
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final Map<String, Placement> placements = new HashMap<>();
    private final LabelSets labelSets = new LabelSets();
    private final Map<String, TopologyDomains> domainsByKey = new HashMap<>();
    private final Map<Object, Object> derived = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
            return size() > CACHED_DERIVED;
        }
    };

    private ClusterSnapshot(Collection<NodeInfo> initialNodes) {
        nodes = new NodeInfo[Math.max(8, initialNodes.size())];
        // name order makes the snapshot independent of the order nodes were listed in
        for (NodeInfo node : initialNodes.stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
            if (indexByName.putIfAbsent(node.name(), nodeCount) != null) {
                throw new IllegalArgumentException("node " + node.name() + " is listed twice");
            }
            nodes[nodeCount] = node.withNoPods().withIndex(nodeCount);
            nodeCount++;
        }
        nameRank = rankByName();
    }

    /** A snapshot of {@code nodes} with {@code boundPods} (each with {@link PodInfo#nodeName()} set) accounted on them. */
    public static ClusterSnapshot of(Collection<NodeInfo> nodes, Collection<PodInfo> boundPods) {
        ClusterSnapshot snapshot = new ClusterSnapshot(nodes);
        for (PodInfo pod : boundPods) {
            if (!pod.isBound()) {
                throw new IllegalArgumentException("pod " + pod.key() + " is not bound to a node");
            }
            snapshot.assume(pod, pod.nodeName());
        }
        return snapshot;
    }

    /**
     * A snapshot from what a Kubernetes API server lists: pods not yet bound, already terminated
     * (Succeeded/Failed), or bound to a node not in {@code nodes} take no room and are left out.
     */
    public static ClusterSnapshot fromKubernetes(List<Node> nodes, List<Pod> pods) {
        ClusterSnapshot snapshot = new ClusterSnapshot(nodes.stream().map(NodeInfo::of).toList());
        for (Pod pod : pods) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            PodInfo info = PodInfo.of(pod);
            if (info.isBound() && !"Succeeded".equals(phase) && !"Failed".equals(phase)
                    && snapshot.indexByName.containsKey(info.nodeName())) {
                snapshot.assume(info, info.nodeName());
            }
        }
        return snapshot;
    }

    public int nodeCount() {
        return nodeCount;
    }

    /** The node at {@code index} ({@code 0..nodeCount()-1}, {@link NodeInfo#index()}); indexes are stable for the snapshot's life. */
    public NodeInfo node(int index) {
        if (index >= nodeCount) {
            throw new IndexOutOfBoundsException(index);
        }
        return nodes[index];
    }

    /** The index of the node called {@code name}, or {@code -1}. */
    public int indexOf(String name) {
        Integer index = indexByName.get(name);
        return index == null ? -1 : index;
    }

    public Optional<NodeInfo> node(String name) {
        int index = indexOf(name);
        return index < 0 ? Optional.empty() : Optional.of(nodes[index]);
    }

    public List<NodeInfo> nodes() {
        return List.of(Arrays.copyOf(nodes, nodeCount));
    }

    /** Pods accounted in this snapshot (bound or assumed). */
    public int podCount() {
        return placements.size();
    }

    /** The node the pod with key {@code namespace/name} is accounted on. */
    public Optional<String> nodeOf(String podKey) {
        Placement placement = placements.get(podKey);
        return placement == null ? Optional.empty() : Optional.of(nodes[placement.node].name());
    }

    /**
     * Accounts {@code pod} on {@code nodeName}: requests, host ports, pod count and (unless it is terminating) spread indexes. Does not
     * check that it fits: the snapshot mirrors what was decided or observed.
     *
     * @throws IllegalArgumentException if the node is unknown
     * @throws IllegalStateException    if a pod with the same key is already accounted
     */
    public void assume(PodInfo pod, String nodeName) {
        int node = indexOf(nodeName);
        if (node < 0) {
            throw new IllegalArgumentException("unknown node " + nodeName + " for pod " + pod.key());
        }
        String key = pod.key();
        if (placements.containsKey(key)) {
            throw new IllegalStateException("pod " + key + " is already accounted on " + nodeOf(key).orElseThrow());
        }
        nodes[node] = nodes[node].withPod(pod);
        // a terminating pod holds its resources until it is gone, but kube-scheduler no longer spreads against it (kubernetes#87621)
        int labelSet = pod.terminating() ? -1 : labelSets.add(pod.namespace(), pod.labels(), node);
        placements.put(key, new Placement(pod, node, labelSet));
    }

    /** Removes the pod with key {@code namespace/name} and frees what it took; returns false (and does nothing) if it was not accounted. */
    public boolean forget(String podKey) {
        Placement placement = placements.remove(podKey);
        if (placement == null) {
            return false;
        }
        nodes[placement.node] = nodes[placement.node].withoutPod(placement.pod);
        if (placement.labelSet >= 0) {
            labelSets.remove(placement.labelSet, placement.node);
        }
        return true;
    }

    public boolean forget(PodInfo pod) {
        return forget(pod.key());
    }

    /**
     * Adds a node, or replaces an existing node's spec and status (labels, taints, allocatable, cordon,
     * readiness) while keeping the pods accounted on it.
     */
    public void putNode(NodeInfo node) {
        Integer index = indexByName.get(node.name());
        if (index != null) {
            nodes[index] = node.withAccountingOf(nodes[index]);
        } else {
            if (nodeCount == nodes.length) {
                nodes = Arrays.copyOf(nodes, nodeCount * 2);
            }
            // pods are accounted only through assume, so a joining node starts empty
            nodes[nodeCount] = node.withNoPods().withIndex(nodeCount);
            indexByName.put(node.name(), nodeCount++);
            nameRank = rankByName();
        }
        // labels may have changed: topology domains and node-derived values are recomputed on next use
        domainsByKey.clear();
        derived.clear();
    }

    /** The position of the node at {@code index} among all nodes sorted by name: orders ties by name cheaply. */
    public int nameRank(int index) {
        return nameRank[index];
    }

    private int[] rankByName() {
        Integer[] byName = new Integer[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            byName[i] = i;
        }
        Arrays.sort(byName, (a, b) -> nodes[a].name().compareTo(nodes[b].name()));
        int[] rank = new int[nodeCount];
        for (int r = 0; r < nodeCount; r++) {
            rank[byName[r]] = r;
        }
        return rank;
    }

    /** The domains of {@code topologyKey} over this snapshot's nodes. */
    public TopologyDomains topologyDomains(String topologyKey) {
        TopologyDomains domains = domainsByKey.get(topologyKey);
        if (domains == null) {
            domains = new TopologyDomains(topologyKey, nodes, nodeCount);
            domainsByKey.put(topologyKey, domains);
        }
        return domains;
    }

    /** The nodes {@code predicate} accepts; uncached (wrap in {@link #nodeDerived} to remember it). */
    public NodeSet nodesWhere(Predicate<NodeInfo> predicate) {
        BitSet members = new BitSet(nodeCount);
        for (int i = 0; i < nodeCount; i++) {
            if (predicate.test(nodes[i])) {
                members.set(i);
            }
        }
        return NodeSet.of(members);
    }

    /**
     * A value computed from the nodes alone (labels, taints, readiness — never accounted pods), remembered
     * under {@code key} until a node changes. {@code key} must identify everything {@code compute} reads
     * besides the nodes (a record of the pod's node selector, for instance).
     */
    @SuppressWarnings("unchecked")
    public <T> T nodeDerived(Object key, Function<ClusterSnapshot, T> compute) {
        Object value = derived.get(key);
        if (value == null) {
            value = compute.apply(this);
            derived.put(key, value);
        }
        return (T) value;
    }

    /**
     * Adds to {@code countsByDomain[d]} the number of pods in {@code namespace} matching {@code selector} on
     * the nodes of domain {@code d}, counting only nodes in {@code counted} ({@code null}: every node) and, as
     * kube-scheduler's {@code countPodsMatchSelector}, no terminating pod.
     * Costs one pass over the nodes that host matching label sets, not over all pods.
     *
     * @return how many domains went from zero to non-zero (with zeroed counts: the domains holding matching pods)
     */
    public int countMatchingPods(String namespace, LabelSelector selector, TopologyDomains domains, NodeSet counted,
                                  int[] countsByDomain) {
        int domainsReached = 0;
        LabelSets.Matches matches = labelSets.matching(namespace, selector);
        for (int m = 0; m < matches.size; m++) {
            NodeCounts podsPerNode = labelSets.get(matches.ids[m]).podsPerNode;
            for (int slot = 0, capacity = podsPerNode.capacity(); slot < capacity; slot++) {
                int node = podsPerNode.nodeAt(slot);
                int count = podsPerNode.countAt(slot);
                if (node < 0 || count == 0 || (counted != null && !counted.contains(node))) {
                    continue;
                }
                int domain = domains.domainOf(node);
                if (domain >= 0) {
                    if (countsByDomain[domain] == 0) {
                        domainsReached++;
                    }
                    countsByDomain[domain] += count;
                }
            }
        }
        return domainsReached;
    }
}
