package dev.berth.platform.proxy;

import java.util.Collection;
import java.util.List;

/**
 * Picks a revision by weight, then an upstream of that revision with the revision's own picker (so
 * round-robin turns are counted per revision). Revisions are chosen by smooth weighted round-robin
 * (nginx's): deterministic, exact over every cycle of {@code sum(weights)} picks, and interleaved
 * (90/10 gives 9 A, 1 B, not 90 A then 10 B). No randomness, so tests are exact.
 *
 * <p>Thread-safe: the revision choice is a short critical section; the upstream choice is lock-free.
 */
final class WeightedRevisionPicker<U extends Upstream> implements Picker<U> {

    /** One revision's upstreams; weight > 0 and upstreams non-empty. */
    record Subset<U extends Upstream>(String revision, int weight, List<U> upstreams, Picker<U> picker) {

        boolean hasUntried(Collection<? extends Upstream> tried) {
            return tried.isEmpty() || !tried.containsAll(upstreams);
        }
    }

    private final List<Subset<U>> subsets;
    private final int[] current; // guarded by this: smooth WRR's running weights, one per subset

    WeightedRevisionPicker(List<Subset<U>> subsets) {
        this.subsets = List.copyOf(subsets);
        this.current = new int[subsets.size()];
    }

    @Override
    public U pick(Collection<? extends Upstream> tried) {
        Subset<U> subset = nextSubset(tried);
        return subset == null ? null : subset.picker().pick(tried);
    }

    private synchronized Subset<U> nextSubset(Collection<? extends Upstream> tried) {
        int total = 0;
        int best = -1;
        for (int i = 0; i < subsets.size(); i++) {
            Subset<U> subset = subsets.get(i);
            if (!subset.hasUntried(tried)) {
                continue; // a retry: this revision has nothing left to offer
            }
            current[i] += subset.weight();
            total += subset.weight();
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        current[best] -= total;
        return subsets.get(best);
    }
}
