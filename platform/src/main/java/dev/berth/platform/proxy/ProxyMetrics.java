package dev.berth.platform.proxy;

import dev.berth.platform.model.ObjectKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * One Service's proxy metrics, in Micrometer and in memory:
 * <ul>
 *   <li>{@code berth.proxy.requests} counter {namespace, service, revision, code} — code is the status class (2xx..5xx)
 *       or {@code reset} when the response broke off; 2xx..5xx exist from a revision's first request
 *       on, so error-rate queries see 0 rather than no series;</li>
 *   <li>{@code berth.proxy.request.duration} timer {namespace, service, revision}, percentile histogram;</li>
 *   <li>{@code berth.proxy.connections} counter {namespace, service, revision} (TCP Services);</li>
 *   <li>{@code berth.proxy.endpoints} gauge {namespace, service}: endpoints in rotation;</li>
 *   <li>{@link #requestStats()}: per revision, for callers without Prometheus (canary analysis).</li>
 * </ul>
 * Requests that found no endpoint are tagged revision {@value #NO_REVISION}.
 *
 * <p>Thread-safe. {@link #close()} removes the meters, so a deleted Service leaves no stale series.
 */
final class ProxyMetrics {

    static final String NO_REVISION = "none";

    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final MeterRegistry registry;
    private final String namespace;
    private final String service;
    private final ProxyMode mode;
    private final Map<String, Revision> revisions = new ConcurrentHashMap<>();
    private final List<Meter> meters = new CopyOnWriteArrayList<>();

    ProxyMetrics(MeterRegistry registry, ObjectKey service, ProxyMode mode, IntSupplier endpointsInRotation) {
        this.registry = registry;
        this.namespace = service.namespace();
        this.service = service.name();
        this.mode = mode;
        meters.add(Gauge.builder("berth.proxy.endpoints", endpointsInRotation::getAsInt)
                .description("Ready endpoints in rotation behind the Service")
                .tags("namespace", namespace, "service", this.service)
                .strongReference(true)
                .register(registry));
    }

    /** One finished HTTP exchange; {@code status} is null when the response broke off. */
    void request(String revision, Integer status, long durationNanos) {
        Revision r = revision(revision);
        int statusClass = status == null ? -1 : status / 100;
        r.requests.increment();
        if (status == null || statusClass == 5) {
            r.serverErrors.increment();
        }
        r.counter(statusClass).increment();
        r.duration.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    /** One TCP connection routed to {@code revision} (or {@value #NO_REVISION}: refused, no endpoint). */
    void connection(String revision) {
        Revision r = revision(revision);
        r.requests.increment();
        if (NO_REVISION.equals(revision)) {
            r.serverErrors.increment();
        }
        r.connections().increment();
    }

    /** Requests per revision since the proxy started, sorted by revision. */
    Map<String, RequestStats> requestStats() {
        Map<String, RequestStats> stats = new TreeMap<>();
        revisions.forEach((revision, r) -> stats.put(revision, new RequestStats(r.requests.sum(), r.serverErrors.sum())));
        return stats;
    }

    void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private Revision revision(String revision) {
        Revision r = revisions.get(revision);
        return r != null ? r : revisions.computeIfAbsent(revision, Revision::new);
    }

    private Meter track(Meter meter) {
        meters.add(meter);
        return meter;
    }

    /** A revision's meters, looked up once instead of per request. */
    private final class Revision {
        final String revision;
        final LongAdder requests = new LongAdder();
        final LongAdder serverErrors = new LongAdder();
        final Timer duration;
        final Counter[] byClass = new Counter[STATUS_CLASSES.length];
        volatile Counter reset;
        volatile Counter connections;

        Revision(String revision) {
            this.revision = revision;
            if (mode != ProxyMode.HTTP) {
                this.duration = null;
                return;
            }
            this.duration = (Timer) track(Timer.builder("berth.proxy.request.duration")
                    .description("Time from a request's arrival at the Service proxy to the end of its response")
                    .tags("namespace", namespace, "service", service, "revision", revision)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry));
            for (int c = 2; c <= 5; c++) {
                byClass[c - 1] = requestCounter(STATUS_CLASSES[c - 1]);
            }
        }

        Counter counter(int statusClass) {
            if (statusClass < 1 || statusClass > 5) {
                Counter c = reset;
                return c != null ? c : (reset = requestCounter("reset"));
            }
            Counter c = byClass[statusClass - 1];
            return c != null ? c : (byClass[statusClass - 1] = requestCounter(STATUS_CLASSES[statusClass - 1]));
        }

        Counter connections() {
            Counter c = connections;
            return c != null ? c : (connections = (Counter) track(Counter.builder("berth.proxy.connections")
                    .description("TCP connections the Service proxy routed, by revision")
                    .tags("namespace", namespace, "service", service, "revision", revision)
                    .register(registry)));
        }

        private Counter requestCounter(String code) {
            // Registering twice (a benign race on the lazy fields) returns the same meter.
            return (Counter) track(Counter.builder("berth.proxy.requests")
                    .description("Requests through the Service proxy, by revision and status class")
                    .tags("namespace", namespace, "service", service, "revision", revision, "code", code)
                    .register(registry));
        }
    }
}
