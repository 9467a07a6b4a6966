package dev.berth.platform.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A TCP replica stand-in on 127.0.0.1: echoes every byte back and counts its connections. */
final class EchoBackend {

    private final String name;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private NetServer server;

    private EchoBackend(String name) {
        this.name = name;
    }

    static EchoBackend start(Vertx vertx, String name) {
        EchoBackend backend = new EchoBackend(name);
        backend.server = Await.result(vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
                .connectHandler(socket -> {
                    backend.accepted.incrementAndGet();
                    backend.open.add(socket);
                    socket.closeHandler(v -> backend.open.remove(socket));
                    socket.handler(socket::write);
                })
                .listen());
        return backend;
    }

    Endpoint endpoint(String revision) {
        return new Endpoint(name, "127.0.0.1", server.actualPort(), revision);
    }

    int accepted() {
        return accepted.get();
    }

    int open() {
        return open.size();
    }

    /** Closes every connection from the replica's side, as a crash or a server-side timeout would. */
    void closeConnections() {
        open.forEach(NetSocket::close);
    }
}
