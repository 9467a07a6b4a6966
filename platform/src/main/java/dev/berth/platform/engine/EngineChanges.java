package dev.berth.platform.engine;

import dev.berth.platform.model.ResourceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes whoever follows a rollout when the engine's watch reports a change of the kinds it follows, instead of a
 * timer: {@link #await} returns at the first change since the last call (all changes meanwhile count as one).
 */
public final class EngineChanges implements AutoCloseable {

    private final Semaphore changed = new Semaphore(0);
    private final List<AutoCloseable> watches = new ArrayList<>();

    private EngineChanges() {
    }

    /** Watches {@code kinds} in {@code namespace} (null: every namespace). */
    public static EngineChanges watch(Engine engine, String namespace, ResourceKind... kinds) {
        EngineChanges changes = new EngineChanges();
        try {
            for (ResourceKind kind : kinds) {
                changes.watches.add(engine.watch(kind, namespace, null, e -> changes.changed.release()));
            }
        } catch (RuntimeException e) {
            changes.close();
            throw e;
        }
        return changes;
    }

    /** Waits for a change, at most {@code max}; true when one came. */
    public boolean await(Duration max) throws InterruptedException {
        boolean came = changed.tryAcquire(Math.max(0, max.toNanos()), TimeUnit.NANOSECONDS);
        changed.drainPermits();
        return came;
    }

    /** Closes every watch; the first failure to close one is thrown once all were tried. */
    @Override
    public void close() {
        IllegalStateException failed = null;
        for (AutoCloseable w : watches) {
            try {
                w.close();
            } catch (Exception e) {
                if (failed == null) {
                    failed = new IllegalStateException("closing a watch failed: " + e.getMessage(), e);
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        watches.clear();
        if (failed != null) {
            throw failed;
        }
    }
}
