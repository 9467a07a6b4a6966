package dev.berth.platform.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The secondary scheduler's metrics. Decision latency and attempts share the local engine's names
 * ({@code berth_scheduler_placement_duration_seconds}, {@code berth_scheduler_placements_total}) so one dashboard
 * serves both; on a cluster the Binding round trip adds {@code berth_scheduler_binding_duration_seconds} (from taking
 * the pod off the queue to the API server's acknowledgement: the placement latency a pod sees) and
 * {@code berth_scheduler_binds_total} (binds per second is its rate).
 */
public final class SchedulerMetrics {

    private final MeterRegistry registry;
    private final Timer decision;
    private final Timer binding;
    private final Counter bound;
    private final Counter bindErrors;
    private final Counter eventsDropped;

    public SchedulerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.decision = Timer.builder("berth.scheduler.placement.duration").description("Time to decide one placement")
                .publishPercentileHistogram().register(registry);
        this.binding = Timer.builder("berth.scheduler.binding.duration")
                .description("From taking a pod off the queue to the API server acknowledging its Binding").publishPercentileHistogram()
                .register(registry);
        this.bound = Counter.builder("berth.scheduler.binds").description("Binding requests by result").tag("result", "bound").register(registry);
        this.bindErrors = Counter.builder("berth.scheduler.binds").description("Binding requests by result").tag("result", "error").register(registry);
        this.eventsDropped = Counter.builder("berth.scheduler.events.dropped")
                .description("Events not posted because the event queue was full").register(registry);
    }

    void queues(IntSupplier active, IntSupplier unschedulable, BooleanSupplier leading) {
        Gauge.builder("berth.scheduler.queue.pods", active::getAsInt).description("Pods waiting in the scheduler's queues")
                .tag("queue", "active").register(registry);
        Gauge.builder("berth.scheduler.queue.pods", unschedulable::getAsInt).description("Pods waiting in the scheduler's queues")
                .tag("queue", "unschedulable").register(registry);
        Gauge.builder("berth.scheduler.leader", () -> leading.getAsBoolean() ? 1 : 0)
                .description("1 while this replica holds the scheduler's Lease").register(registry);
    }

    void decided(String result, long nanos) {
        decision.record(nanos, TimeUnit.NANOSECONDS);
        registry.counter("berth.scheduler.placements", "result", result).increment();
    }

    void bound(long nanosSinceDequeued) {
        binding.record(nanosSinceDequeued, TimeUnit.NANOSECONDS);
        bound.increment();
    }

    void bindFailed() {
        bindErrors.increment();
    }

    void eventDropped() {
        eventsDropped.increment();
    }

    public double binds() {
        return bound.count();
    }

    public double bindErrors() {
        return bindErrors.count();
    }
}
