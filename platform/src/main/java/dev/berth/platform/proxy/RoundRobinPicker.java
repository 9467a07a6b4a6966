package dev.berth.platform.proxy;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Each upstream in turn; a tried one is passed over. Thread-safe, lock-free. */
final class RoundRobinPicker<U extends Upstream> implements Picker<U> {

    private final List<U> upstreams;
    private final AtomicInteger next = new AtomicInteger();

    RoundRobinPicker(List<U> upstreams) {
        this.upstreams = List.copyOf(upstreams);
    }

    @Override
    public U pick(Collection<? extends Upstream> tried) {
        int n = upstreams.size();
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            U candidate = upstreams.get((start + i) % n);
            if (!tried.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
