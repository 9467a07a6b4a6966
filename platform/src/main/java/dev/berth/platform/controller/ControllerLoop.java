package dev.berth.platform.controller;

import dev.berth.platform.model.ObjectKey;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A work queue of keys and one worker that reconciles them, like client-go's workqueue + controller: a key
 * queued several times before it is processed is processed once; a key is never processed by two passes at
 * once; a pass that throws is retried with exponential back-off. Thread-safe.
 */
public final class ControllerLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ControllerLoop.class);
    private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(30);

    private final String name;
    private final Reconciler reconciler;
    private final Set<ObjectKey> queue = new LinkedHashSet<>();
    private final java.util.Map<ObjectKey, Integer> failures = new java.util.HashMap<>();
    private final ScheduledExecutorService timers;
    private final Thread worker;
    private volatile boolean closed;

    public ControllerLoop(String name, Reconciler reconciler) {
        this.name = name;
        this.reconciler = reconciler;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-timer"));
        this.worker = daemon(this::run, name + "-controller");
        worker.start();
    }

    private static Thread daemon(Runnable r, String threadName) {
        Thread t = new Thread(r, threadName);
        t.setDaemon(true);
        return t;
    }

    public String name() {
        return name;
    }

    public void enqueue(ObjectKey key) {
        synchronized (queue) {
            if (queue.add(key)) {
                queue.notifyAll();
            }
        }
    }

    public void enqueueAfter(ObjectKey key, Duration delay) {
        if (!closed) {
            timers.schedule(() -> enqueue(key), Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    /** Number of keys waiting (for tests and metrics). */
    public int depth() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private ObjectKey take() throws InterruptedException {
        synchronized (queue) {
            while (queue.isEmpty()) {
                queue.wait();
            }
            var it = queue.iterator();
            ObjectKey key = it.next();
            it.remove();
            return key;
        }
    }

    private void run() {
        while (!closed) {
            ObjectKey key;
            try {
                key = take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                ReconcileResult result = reconciler.reconcile(key);
                failures.remove(key);
                result.requeueAfter().ifPresent(d -> enqueueAfter(key, d));
            } catch (RuntimeException e) {
                int n = failures.merge(key, 1, Integer::sum);
                Duration backoff = Duration.ofMillis(Math.min(MAX_ERROR_BACKOFF.toMillis(), 100L << Math.min(n, 20)));
                LOG.errorf(e, "%s: reconciling %s failed (attempt %d); retrying in %s", name, key, n, backoff);
                enqueueAfter(key, backoff);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        timers.shutdownNow();
        if (Thread.currentThread() != worker) {
            try {
                // a pass in flight finishes before close returns, so what it started is visible to the caller
                worker.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
