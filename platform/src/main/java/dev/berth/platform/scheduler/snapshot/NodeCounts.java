package dev.berth.platform.scheduler.snapshot;

import java.util.Arrays;

/**
 * Pod counts per node index for one label set: a sparse open-addressing map, because a label set (one
 * Deployment revision) usually lives on a few nodes of thousands. Slots whose count drops to zero stay
 * (readers skip them), so removal never reshuffles the table. Not thread-safe.
 */
final class NodeCounts {

    private static final int EMPTY = -1;

    private int[] nodes = filled(8);
    private int[] counts = new int[8];
    private int occupied;

    void add(int node, int delta) {
        int slot = slotOf(node);
        if (nodes[slot] == EMPTY) {
            if (delta < 0) {
                throw new IllegalStateException("no pods to remove on node " + node);
            }
            nodes[slot] = node;
            occupied++;
            counts[slot] = delta;
            if (occupied * 2 > nodes.length) {
                grow();
            }
            return;
        }
        int updated = counts[slot] + delta;
        if (updated < 0) {
            throw new IllegalStateException("no pods to remove on node " + node);
        }
        counts[slot] = updated;
    }

    int get(int node) {
        int slot = slotOf(node);
        return nodes[slot] == EMPTY ? 0 : counts[slot];
    }

    /** Table size; iterate slots {@code 0..capacity()-1} with {@link #nodeAt} (negative for an empty slot) and {@link #countAt}. */
    int capacity() {
        return nodes.length;
    }

    int nodeAt(int slot) {
        return nodes[slot];
    }

    int countAt(int slot) {
        return counts[slot];
    }

    private int slotOf(int node) {
        int mask = nodes.length - 1;
        int slot = (node * 0x9E3779B9 >>> 7) & mask;
        while (nodes[slot] != EMPTY && nodes[slot] != node) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        int[] oldNodes = nodes;
        int[] oldCounts = counts;
        nodes = filled(oldNodes.length * 2);
        counts = new int[oldNodes.length * 2];
        for (int i = 0; i < oldNodes.length; i++) {
            if (oldNodes[i] != EMPTY) {
                int slot = slotOf(oldNodes[i]);
                nodes[slot] = oldNodes[i];
                counts[slot] = oldCounts[i];
            }
        }
    }

    private static int[] filled(int size) {
        int[] array = new int[size];
        Arrays.fill(array, EMPTY);
        return array;
    }
}
