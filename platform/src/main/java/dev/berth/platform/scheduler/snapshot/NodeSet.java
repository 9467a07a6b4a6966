package dev.berth.platform.scheduler.snapshot;

import java.util.BitSet;

/** An immutable set of node indexes of one snapshot generation. */
public final class NodeSet {

    private final BitSet members;

    private NodeSet(BitSet members) {
        this.members = members;
    }

    /** Copies {@code members}; later changes to the bit set do not show. */
    public static NodeSet of(BitSet members) {
        return new NodeSet((BitSet) members.clone());
    }

    public boolean contains(int nodeIndex) {
        return members.get(nodeIndex);
    }

    /** The nodes in both sets. */
    public NodeSet and(NodeSet other) {
        BitSet both = (BitSet) members.clone();
        both.and(other.members);
        return new NodeSet(both);
    }

    public int size() {
        return members.cardinality();
    }
}
