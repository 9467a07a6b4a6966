package dev.berth.platform.proxy;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A Service's endpoints: those in rotation, those draining, and the current {@link Rotation}.
 *
 * <p>Draining is sticky: an endpoint drained by {@link #drain} stays out of rotation even while later
 * updates still list it (the core drains a replica before its readiness or its removal reaches the
 * endpoint list); once an update leaves it out, listing it again brings it back as a new upstream.
 * An endpoint that an update leaves out without a drain is drained with the removal timeout, so its
 * in-flight requests finish (kube-proxy semantics).
 *
 * <p>Thread-safe: writers serialise on this table; readers take {@link #rotation()} lock-free.
 */
final class EndpointTable<U extends Upstream> {

    private final Function<Endpoint, U> newUpstream;
    private final LoadBalancingStrategy strategy;
    private final Duration removalDrainTimeout;

    private final Map<Endpoint, U> active = new LinkedHashMap<>(); // guarded by this
    private final Set<Endpoint> held = new HashSet<>();            // guarded by this: drained, still listed
    private final Set<U> draining = new LinkedHashSet<>();         // guarded by this
    private TrafficSplit split = TrafficSplit.EQUAL;               // guarded by this
    private boolean closed;                                        // guarded by this
    private volatile Rotation<U> rotation = Rotation.empty();

    EndpointTable(Function<Endpoint, U> newUpstream, LoadBalancingStrategy strategy, Duration removalDrainTimeout) {
        this.newUpstream = newUpstream;
        this.strategy = strategy;
        this.removalDrainTimeout = removalDrainTimeout;
    }

    Rotation<U> rotation() {
        return rotation;
    }

    /** Swaps in a new endpoint set, keeping the split. */
    void update(List<Endpoint> endpoints) {
        update(endpoints, null);
    }

    /**
     * Swaps in a new endpoint set and split at once ({@code null} split: keep the current one); see the
     * class comment for drained endpoints.
     */
    void update(List<Endpoint> endpoints, TrafficSplit newSplit) {
        Set<Endpoint> listed = new LinkedHashSet<>(Objects.requireNonNull(endpoints, "endpoints"));
        List<U> removed = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("proxy is closed");
            }
            held.retainAll(listed);
            Map<Endpoint, U> next = new LinkedHashMap<>();
            for (Endpoint endpoint : listed) {
                if (!held.contains(endpoint)) {
                    U upstream = active.remove(endpoint);
                    next.put(endpoint, upstream != null ? upstream : newUpstream.apply(endpoint));
                }
            }
            removed.addAll(active.values());
            draining.addAll(removed);
            active.clear();
            active.putAll(next);
            if (newSplit != null) {
                split = newSplit;
            }
            publish();
        }
        removed.forEach(upstream -> drainAndForget(upstream, removalDrainTimeout));
    }

    synchronized TrafficSplit split() {
        return split;
    }

    /**
     * Takes the endpoint out of rotation now and completes when its in-flight work is done (or the
     * timeout passed). Idempotent; an endpoint the table does not know completes at once.
     */
    Future<Void> drain(Endpoint endpoint, Duration timeout) {
        U upstream;
        synchronized (this) {
            upstream = active.remove(endpoint);
            if (upstream == null) {
                return draining.stream()
                        .filter(u -> u.endpoint().equals(endpoint))
                        .reduce((first, later) -> later)
                        .map(u -> u.drain(timeout))
                        .orElseGet(Future::succeededFuture);
            }
            held.add(endpoint);
            draining.add(upstream);
            publish();
        }
        return drainAndForget(upstream, timeout);
    }

    /** Closes every upstream at once, in flight or not; the table takes no more updates. */
    Future<Void> close() {
        List<U> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(active.values());
            all.addAll(draining);
            active.clear();
            held.clear();
            publish();
        }
        return Future.join(all.stream().map(Upstream::close).toList()).mapEmpty();
    }

    synchronized List<EndpointStatus> status() {
        List<EndpointStatus> status = new ArrayList<>();
        active.values().forEach(u -> status.add(u.status()));
        draining.forEach(u -> status.add(u.status()));
        return status;
    }

    /** Ready endpoints in rotation (the {@code berth.proxy.endpoints} gauge). */
    int inRotation() {
        return rotation.upstreams().size();
    }

    /** Drains an upstream already in {@code draining} (outside the table lock) and drops it when done. */
    private Future<Void> drainAndForget(U upstream, Duration timeout) {
        return upstream.drain(timeout).onComplete(ar -> {
            synchronized (this) {
                draining.remove(upstream);
            }
        });
    }

    private void publish() {
        rotation = Rotation.of(List.copyOf(active.values()), split, strategy);
    }
}
