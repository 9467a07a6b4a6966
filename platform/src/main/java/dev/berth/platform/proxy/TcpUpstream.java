package dev.berth.platform.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP endpoint and the connections piped to it (each pair counted in flight while open). Draining
 * lets open connections run; when the drain times out they are closed, which a PostgreSQL client's
 * pool notices and reconnects, through the proxy, to another endpoint. Thread-safe.
 */
final class TcpUpstream extends Upstream {

    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();

    TcpUpstream(Vertx vertx, Endpoint endpoint) {
        super(vertx, endpoint);
    }

    /** Tracks both sockets of a piped connection until it closes. */
    void track(NetSocket inbound, NetSocket outbound) {
        sockets.add(inbound);
        sockets.add(outbound);
    }

    void untrack(NetSocket inbound, NetSocket outbound) {
        sockets.remove(inbound);
        sockets.remove(outbound);
    }

    @Override
    Future<Void> closeConnections() {
        return Future.join(sockets.stream().map(NetSocket::close).toList()).mapEmpty();
    }
}
