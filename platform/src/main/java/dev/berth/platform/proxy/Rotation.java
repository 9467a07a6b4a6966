package dev.berth.platform.proxy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The upstreams in rotation at one moment and the picker over them. Immutable and swapped whole on
 * every change (update, drain), so a request sees one consistent endpoint set. Thread-safe.
 */
final class Rotation<U extends Upstream> {

    private final List<U> upstreams;
    private final Picker<U> picker;

    private Rotation(List<U> upstreams, Picker<U> picker) {
        this.upstreams = List.copyOf(upstreams);
        this.picker = picker;
    }

    static <U extends Upstream> Rotation<U> empty() {
        return new Rotation<>(List.of(), Picker.none());
    }

    /** Builds the picker: by revision weight first when the split has weights, then by strategy. */
    static <U extends Upstream> Rotation<U> of(List<U> upstreams, TrafficSplit split, LoadBalancingStrategy strategy) {
        if (split.isEqual()) {
            return new Rotation<>(upstreams, strategy.newPicker(upstreams));
        }
        Map<String, List<U>> byRevision = new LinkedHashMap<>();
        for (U upstream : upstreams) {
            byRevision.computeIfAbsent(upstream.endpoint().revision(), r -> new ArrayList<>()).add(upstream);
        }
        List<WeightedRevisionPicker.Subset<U>> subsets = new ArrayList<>();
        byRevision.forEach((revision, members) -> {
            int weight = split.weightOf(revision);
            if (weight > 0) {
                subsets.add(new WeightedRevisionPicker.Subset<>(revision, weight, members, strategy.newPicker(members)));
            }
        });
        if (subsets.isEmpty()) {
            // No weighted revision has a ready endpoint: serve with what is there (TrafficSplit's contract).
            return new Rotation<>(upstreams, strategy.newPicker(upstreams));
        }
        return new Rotation<>(upstreams, new WeightedRevisionPicker<>(subsets));
    }

    List<U> upstreams() {
        return upstreams;
    }

    boolean isEmpty() {
        return upstreams.isEmpty();
    }

    /**
     * Picks an upstream not in {@code tried} and acquires it (counts the request in flight). Ejected upstreams are
     * passed over while another can be had, and tried when only they are left (Envoy's panic mode: better a replica
     * that may have come back than no answer). An upstream that started draining after this rotation was read
     * refuses and is passed over.
     *
     * @return the acquired upstream, which the caller must {@link Upstream#release()}, or null
     */
    U acquire(Collection<? extends Upstream> tried) {
        U healthy = acquire(tried, true);
        return healthy != null ? healthy : acquire(tried, false);
    }

    private U acquire(Collection<? extends Upstream> tried, boolean skipEjected) {
        Collection<? extends Upstream> skip = tried;
        while (true) {
            U upstream = picker.pick(skip);
            if (upstream == null || !(skipEjected && upstream.ejected()) && upstream.tryAcquire()) {
                return upstream;
            }
            List<Upstream> more = new ArrayList<>(skip);
            more.add(upstream);
            skip = more;
        }
    }
}
