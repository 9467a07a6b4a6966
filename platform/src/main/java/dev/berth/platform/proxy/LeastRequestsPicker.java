package dev.berth.platform.proxy;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The upstream with the fewest in-flight requests. The scan starts one further each time and keeps
 * the first minimum it meets, so ties go round-robin. Thread-safe, lock-free: two concurrent picks
 * may read the same counts and choose the same upstream, which only matters for one request.
 */
final class LeastRequestsPicker<U extends Upstream> implements Picker<U> {

    private final List<U> upstreams;
    private final AtomicInteger next = new AtomicInteger();

    LeastRequestsPicker(List<U> upstreams) {
        this.upstreams = List.copyOf(upstreams);
    }

    @Override
    public U pick(Collection<? extends Upstream> tried) {
        int n = upstreams.size();
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(next.getAndIncrement(), n);
        U best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            U candidate = upstreams.get((start + i) % n);
            int load = candidate.inFlight();
            if (load < bestLoad && !tried.contains(candidate)) {
                best = candidate;
                bestLoad = load;
            }
        }
        return best;
    }
}
