package dev.berth.platform.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady stream of GETs with a fixed number in flight, until {@link #stop()} or a hard cap of
 * requests (so it always ends). Records every reply that was not a 200.
 */
final class SteadyLoad {

    private final Vertx vertx;
    private final HttpClient client;
    private final int port;
    private final int maxRequests;
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger running;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Reply> failures = new CopyOnWriteArrayList<>();
    private final Promise<Void> finished = Promise.promise();

    private SteadyLoad(Vertx vertx, HttpClient client, int port, int concurrency, int maxRequests) {
        this.vertx = vertx;
        this.client = client;
        this.port = port;
        this.maxRequests = maxRequests;
        this.running = new AtomicInteger(concurrency);
    }

    static SteadyLoad start(Vertx vertx, HttpClient client, int port, int concurrency, int maxRequests) {
        SteadyLoad load = new SteadyLoad(vertx, client, port, concurrency, maxRequests);
        for (int i = 0; i < concurrency; i++) {
            load.next();
        }
        return load;
    }

    private void next() {
        if (stopped.get() || issued.incrementAndGet() > maxRequests) {
            if (running.decrementAndGet() == 0) {
                finished.complete();
            }
            return;
        }
        Reply.get(vertx, client, port, "/").onComplete(ar -> {
            Reply reply = ar.result();
            if (!reply.ok()) {
                failures.add(reply);
            }
            completed.incrementAndGet();
            next();
        });
    }

    int completed() {
        return completed.get();
    }

    List<Reply> failures() {
        return failures;
    }

    /** Stops issuing; the future completes when every request in flight has its reply. */
    Future<Void> stop() {
        stopped.set(true);
        return finished.future();
    }
}
