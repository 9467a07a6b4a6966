package dev.berth.platform.proxy;

/**
 * One request through an HTTP Service proxy: when it arrived and which upstream took it. The upstream
 * is bound once the connection to it exists, and handed back exactly once, when the response ends.
 * Thread-safe (the connect may complete on another event loop than the response's end).
 */
final class Exchange {

    /** Where the exchange rides in vertx-http-proxy's {@code ProxyContext}. */
    static final String KEY = Exchange.class.getName();

    final long startNanos = System.nanoTime();

    private HttpUpstream upstream;
    private boolean ended;

    /** @return false when the response already ended (the client left): the caller releases {@code u} */
    synchronized boolean bind(HttpUpstream u) {
        if (ended) {
            return false;
        }
        upstream = u;
        return true;
    }

    synchronized HttpUpstream upstream() {
        return upstream;
    }

    /** Marks the exchange ended and returns the upstream to release, or null when none was bound. */
    synchronized HttpUpstream end() {
        ended = true;
        return upstream;
    }
}
