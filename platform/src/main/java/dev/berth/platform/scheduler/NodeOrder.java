package dev.berth.platform.scheduler;

/** The order in which one cycle visits the snapshot's nodes: a permutation read from a start offset, wrapping. Immutable. */
public final class NodeOrder {

    private final int[] permutation;
    private final int start;
    private final int size;

    /** {@code permutation == null} means the identity (snapshot order). */
    NodeOrder(int[] permutation, int start, int size) {
        if (size > 0 && (start < 0 || start >= size)) {
            throw new IllegalArgumentException("start " + start + " outside 0.." + (size - 1));
        }
        this.permutation = permutation;
        this.start = start;
        this.size = size;
    }

    /** The snapshot index of the {@code i}-th node to visit, {@code 0 <= i < size}. */
    public int nodeAt(int i) {
        int position = start + i;
        if (position >= size) {
            position -= size;
        }
        return permutation == null ? position : permutation[position];
    }
}
