package dev.berth.platform.proxy;

import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** An upstream with no connections, for picker and table tests (no Vert.x: never drained while busy with a timeout). */
final class FakeUpstream extends Upstream {

    private static final AtomicInteger PORTS = new AtomicInteger(20_000);

    private volatile boolean connectionsClosed;

    FakeUpstream(String replica, String revision) {
        this(new Endpoint(replica, "127.0.0.1", PORTS.incrementAndGet(), revision));
    }

    FakeUpstream(Endpoint endpoint) {
        super(null, endpoint);
    }

    /** Puts {@code n} requests in flight. */
    FakeUpstream busy(int n) {
        for (int i = 0; i < n; i++) {
            tryAcquire();
        }
        return this;
    }

    String replica() {
        return endpoint().replica();
    }

    boolean connectionsClosed() {
        return connectionsClosed;
    }

    @Override
    Future<Void> closeConnections() {
        connectionsClosed = true;
        return Future.succeededFuture();
    }
}
