package dev.berth.platform.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One endpoint as a proxy uses it: in-flight accounting, drain state and the connections to it
 * (the subclass's: an HTTP pool, or piped TCP connections).
 *
 * <p>Lifecycle: in rotation → draining (acquire refuses, in-flight work finishes) → finished
 * (connections closed, drain future completed). An upstream never returns to rotation: an endpoint
 * that comes back gets a new upstream.
 *
 * <p>Thread-safe. {@link #tryAcquire()} and {@link #drain} share one lock so that once
 * {@code drain} has returned no request can be routed here any more, and {@code routed} is frozen.
 */
abstract class Upstream {

    private static final Logger LOG = Logger.getLogger(Upstream.class);

    private final Vertx vertx;
    private final Endpoint endpoint;
    private final Promise<Void> drained = Promise.promise();
    private final AtomicBoolean finished = new AtomicBoolean();

    private volatile int inFlight; // written under the lock, read lock-free by LeastRequestsPicker
    private volatile long ejectedUntil = System.nanoTime(); // a System.nanoTime() instant; in the past: not ejected
    private long routed;           // guarded by this
    private boolean draining;      // guarded by this
    private long drainTimer = -1;  // guarded by this

    Upstream(Vertx vertx, Endpoint endpoint) {
        this.vertx = vertx;
        this.endpoint = endpoint;
    }

    final Endpoint endpoint() {
        return endpoint;
    }

    final int inFlight() {
        return inFlight;
    }

    /**
     * Passes the upstream over for {@code time} while others are in rotation (outlier ejection), from now;
     * an ejection that lasts longer already stays.
     *
     * @return whether this call ejected it (it was not ejected before), for logging once
     */
    final boolean eject(Duration time) {
        long until = System.nanoTime() + time.toNanos();
        synchronized (this) {
            boolean was = ejected();
            if (until - ejectedUntil > 0) {
                ejectedUntil = until;
            }
            return !was && ejected();
        }
    }

    final boolean ejected() {
        return ejectedUntil - System.nanoTime() > 0;
    }

    /** Counts one request (or connection) in flight, unless the upstream is draining. */
    final synchronized boolean tryAcquire() {
        if (draining) {
            return false;
        }
        inFlight++;
        routed++;
        return true;
    }

    /** Ends what {@link #tryAcquire()} counted; the last release of a draining upstream finishes the drain. */
    final void release() {
        boolean last;
        synchronized (this) {
            inFlight--;
            last = draining && inFlight == 0;
        }
        if (last) {
            finish(false);
        }
    }

    /**
     * Takes the upstream out of service: no new acquire succeeds from now on; the future completes
     * when the in-flight count reaches zero, or after {@code timeout}, when what is still open is
     * closed. Idempotent: a second call returns the same future (the first timeout holds).
     */
    final Future<Void> drain(Duration timeout) {
        boolean idle;
        synchronized (this) {
            if (draining) {
                return drained.future();
            }
            draining = true;
            idle = inFlight == 0;
            if (!idle && timeout.toMillis() > 0) {
                drainTimer = vertx.setTimer(timeout.toMillis(), id -> finish(true));
                return drained.future();
            }
        }
        finish(!idle);
        return drained.future();
    }

    /** Closes at once: draining with no grace. */
    final Future<Void> close() {
        return drain(Duration.ZERO);
    }

    final synchronized EndpointStatus status() {
        return new EndpointStatus(endpoint, draining, inFlight, routed);
    }

    /** Closes every connection to the endpoint, idle or not. Called once, from {@link #finish}. */
    abstract Future<Void> closeConnections();

    private void finish(boolean timedOut) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            if (drainTimer >= 0) {
                vertx.cancelTimer(drainTimer);
            }
        }
        if (timedOut) {
            LOG.warnf("endpoint %s (%s) still had %d in flight when its drain timed out; closing them",
                    endpoint.replica(), endpoint.address(), inFlight);
        }
        closeConnections().onComplete(ar -> drained.tryComplete());
    }
}
