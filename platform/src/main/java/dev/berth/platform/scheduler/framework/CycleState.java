package dev.berth.platform.scheduler.framework;

import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import dev.berth.platform.scheduler.snapshot.NodeSet;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scratch state of one scheduling cycle (one pod): what pre-filter and pre-score computed once, read by
 * the per-node calls, plus the snapshot being scheduled against. Confined to the thread running the
 * cycle; not thread-safe.
 */
public final class CycleState {

    /** A typed slot; create one per kind of state as a {@code static final} constant. */
    public static final class Key<T> {
        private static final AtomicInteger NEXT_SLOT = new AtomicInteger();

        private final String name;
        private final int slot;

        private Key(String name) {
            this.name = Objects.requireNonNull(name, "name");
            this.slot = NEXT_SLOT.getAndIncrement();
        }

        public static <T> Key<T> of(String name) {
            return new Key<>(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final ClusterSnapshot snapshot;
    private Object[] slots = new Object[8];
    private Set<String> skippedFilters = Set.of();
    private Set<String> skippedScores = Set.of();
    private Set<String> restrictingFilters = Set.of();
    private NodeSet candidates;

    public CycleState(ClusterSnapshot snapshot) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    }

    /** The snapshot this cycle schedules against; read-only for plugins. */
    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    public <T> void write(Key<T> key, T value) {
        if (key.slot >= slots.length) {
            slots = Arrays.copyOf(slots, Math.max(key.slot + 1, slots.length * 2));
        }
        slots[key.slot] = value;
    }

    /** The value written under {@code key} this cycle, or {@code null}. */
    @SuppressWarnings("unchecked")
    public <T> T read(Key<T> key) {
        return key.slot < slots.length ? (T) slots[key.slot] : null;
    }

    /** Called from pre-filter: this plugin's filter has nothing to check for this pod and is not called this cycle. */
    public void skipFilter(String plugin) {
        skippedFilters = grow(skippedFilters, plugin);
    }

    public boolean filterSkipped(String plugin) {
        return skippedFilters.contains(plugin);
    }

    /**
     * Called from pre-filter (kube-scheduler's {@code PreFilterResult}): only {@code nodes} can pass this
     * plugin's filter this cycle, so the pipeline looks at no other node and does not call this plugin's
     * filter per node. Its filter must still judge any node correctly (it explains rejections).
     */
    public void restrictNodes(String plugin, NodeSet nodes) {
        restrictingFilters = grow(restrictingFilters, plugin);
        candidates = candidates == null ? nodes : candidates.and(nodes);
    }

    /** The intersection of all restrictions this cycle, or {@code null} when every node is a candidate. */
    public NodeSet candidateNodes() {
        return candidates;
    }

    /** Whether {@code plugin} restricted this cycle's candidates, so its filter is already answered by {@link #candidateNodes()}. */
    public boolean restrictsNodes(String plugin) {
        return restrictingFilters.contains(plugin);
    }

    /** Called from pre-score: this plugin's score is not computed this cycle (counts as 0 on every node). */
    public void skipScore(String plugin) {
        skippedScores = grow(skippedScores, plugin);
    }

    public boolean scoreSkipped(String plugin) {
        return skippedScores.contains(plugin);
    }

    private static Set<String> grow(Set<String> set, String plugin) {
        Set<String> grown = set.isEmpty() ? new HashSet<>() : set;
        grown.add(plugin);
        return grown;
    }
}
