package dev.berth.platform.probe;

import io.fabric8.kubernetes.api.model.Probe;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The three probes of one running container, with Kubernetes' semantics: the startup probe runs first and
 * gates the others; a liveness probe's {@code failureThreshold} consecutive failures ask for a restart;
 * readiness turns true after {@code successThreshold} consecutive successes and false after
 * {@code failureThreshold} consecutive failures (a container without a readiness probe is ready once started).
 * Periods, timeouts and initial delays as the manifest says. Thread-safe; {@link #close()} stops all probing.
 */
public final class ContainerProber implements AutoCloseable {

    /** What the kubelet is told. Called from probe threads, one call at a time per container. */
    public interface Listener {
        void started();

        void startupFailed(String message);

        void livenessFailed(String message);

        void readinessChanged(boolean ready, String message);
    }

    /** The probes of one container, already resolved to host ports; any of them may be null. */
    public record Probes(Probe startup, int startupPort, Probe liveness, int livenessPort, Probe readiness, int readinessPort) {}

    private final ProbeCheck check;
    private final ScheduledExecutorService timer;
    private final Probes probes;
    private final Listener listener;
    private final Object lock = new Object();
    private volatile boolean closed;
    private ScheduledFuture<?> startupTask;
    private ScheduledFuture<?> livenessTask;
    private ScheduledFuture<?> readinessTask;

    public ContainerProber(ProbeCheck check, ScheduledExecutorService timer, Probes probes, Listener listener) {
        this.check = check;
        this.timer = timer;
        this.probes = probes;
        this.listener = listener;
    }

    public void start() {
        if (probes.startup() != null) {
            startupTask = loop(probes.startup(), probes::startupPort, new Counter() {
                @Override
                boolean onOutcome(ProbeOutcome o, Probe p) {
                    if (o.success()) {
                        listener.started();
                        startAfterStartup();
                        return false;
                    }
                    if (++failures >= threshold(p.getFailureThreshold(), 3)) {
                        listener.startupFailed("Startup probe failed: " + o.message());
                        return false;
                    }
                    return true;
                }
            });
        } else {
            listener.started();
            startAfterStartup();
        }
    }

    private void startAfterStartup() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (probes.liveness() != null) {
                livenessTask = loop(probes.liveness(), probes::livenessPort, new Counter() {
                    @Override
                    boolean onOutcome(ProbeOutcome o, Probe p) {
                        if (o.success()) {
                            failures = 0;
                            return true;
                        }
                        if (++failures >= threshold(p.getFailureThreshold(), 3)) {
                            listener.livenessFailed("Liveness probe failed: " + o.message());
                            return false;
                        }
                        return true;
                    }
                });
            }
            if (probes.readiness() != null) {
                readinessTask = loop(probes.readiness(), probes::readinessPort, new Counter() {
                    private Boolean ready;

                    @Override
                    boolean onOutcome(ProbeOutcome o, Probe p) {
                        if (o.success()) {
                            failures = 0;
                            if (++successes >= threshold(p.getSuccessThreshold(), 1) && !Boolean.TRUE.equals(ready)) {
                                ready = true;
                                listener.readinessChanged(true, "");
                            }
                        } else {
                            successes = 0;
                            if (++failures >= threshold(p.getFailureThreshold(), 3) && !Boolean.FALSE.equals(ready)) {
                                ready = false;
                                listener.readinessChanged(false, "Readiness probe failed: " + o.message());
                            }
                        }
                        return true;
                    }
                });
            } else {
                listener.readinessChanged(true, "");
            }
        }
    }

    /** Runs {@code probe} every period after its initial delay, feeding outcomes to {@code counter} until it says stop. */
    private ScheduledFuture<?> loop(Probe probe, IntSupplier port, Counter counter) {
        long period = 1000L * (probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds());
        long delay = 1000L * (probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds());
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        Runnable attempt = new Runnable() {
            private boolean running;

            @Override
            public void run() {
                synchronized (this) {
                    if (running || closed) {
                        return; // the previous attempt is still within its timeout
                    }
                    running = true;
                }
                attempt(probe, port).whenComplete((outcome, error) -> {
                    synchronized (this) {
                        running = false;
                    }
                    ProbeOutcome o = outcome != null ? outcome : ProbeOutcome.failure(String.valueOf(error));
                    boolean more;
                    synchronized (counter) {
                        if (counter.done) {
                            return;
                        }
                        more = !closed && counter.onOutcome(o, probe);
                        counter.done = !more;
                    }
                    if (!more && self[0] != null) {
                        self[0].cancel(false);
                    }
                });
            }
        };
        self[0] = timer.scheduleAtFixedRate(attempt, delay, period, TimeUnit.MILLISECONDS);
        return self[0];
    }

    /** One attempt; a check that throws is a failed attempt, so the schedule (which a thrown exception would end) goes on. */
    private java.util.concurrent.CompletableFuture<ProbeOutcome> attempt(Probe probe, IntSupplier port) {
        try {
            return check.run(probe, port.getAsInt());
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(ProbeOutcome.failure("probe error: " + e));
        }
    }

    private static int threshold(Integer value, int fallback) {
        return value == null || value < 1 ? fallback : value;
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {startupTask, livenessTask, readinessTask}) {
                if (f != null) {
                    f.cancel(false);
                }
            }
        }
    }

    private abstract static class Counter {
        boolean done;
        int failures;
        int successes;

        /** @return whether to keep probing */
        abstract boolean onOutcome(ProbeOutcome outcome, Probe probe);
    }
}
