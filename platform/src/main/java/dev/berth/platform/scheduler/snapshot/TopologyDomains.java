package dev.berth.platform.scheduler.snapshot;

import dev.berth.platform.scheduler.model.NodeInfo;

import java.util.HashMap;
import java.util.Map;

/**
 * The domains of one topology key (e.g. zones): each node index mapped to a dense domain id, or
 * {@code -1} when the node lacks the label. Immutable; the snapshot rebuilds it when nodes change.
 */
public final class TopologyDomains {

    private final String key;
    private final int[] domainOfNode;
    private final String[] values;

    TopologyDomains(String key, NodeInfo[] nodes, int nodeCount) {
        this.key = key;
        this.domainOfNode = new int[nodeCount];
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < nodeCount; i++) {
            String value = nodes[i].labels().get(key);
            domainOfNode[i] = value == null ? -1 : ids.computeIfAbsent(value, v -> ids.size());
        }
        this.values = new String[ids.size()];
        ids.forEach((value, id) -> values[id] = value);
    }

    public String key() {
        return key;
    }

    /** The domain id of the node at {@code nodeIndex}, or {@code -1} if the node has no such label. */
    public int domainOf(int nodeIndex) {
        return domainOfNode[nodeIndex];
    }

    /**
     * The domain id per node index, shared, not copied: read-only for callers. For loops that look up
     * hundreds of nodes per call.
     */
    public int[] domainOfNodes() {
        return domainOfNode;
    }

    public int domainCount() {
        return values.length;
    }

    /** The label value naming domain {@code domain}. */
    public String value(int domain) {
        return values[domain];
    }
}
