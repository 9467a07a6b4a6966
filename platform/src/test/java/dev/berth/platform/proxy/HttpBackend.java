package dev.berth.platform.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A replica stand-in: a real Vert.x HTTP server on 127.0.0.1 that answers its name, counts what it
 * received and how many connections it has open, and can be told to be slow, to hold requests, or
 * to die on the next request (close the connection after reading it).
 */
final class HttpBackend {

    enum Behaviour { ANSWER, DELAY, HOLD, DIE }

    private final Vertx vertx;
    private final String name;
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    private final List<String> hosts = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour = Behaviour.ANSWER;
    private volatile long delayMillis;
    private HttpServer server;

    private HttpBackend(Vertx vertx, String name) {
        this.vertx = vertx;
        this.name = name;
    }

    static HttpBackend start(Vertx vertx, String name) {
        return start(vertx, name, 0);
    }

    /** On a given port: a replica coming back where it listened before. */
    static HttpBackend start(Vertx vertx, String name, int port) {
        HttpBackend backend = new HttpBackend(vertx, name);
        backend.server = Await.result(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .connectionHandler(connection -> {
                    backend.openConnections.incrementAndGet();
                    connection.closeHandler(v -> backend.openConnections.decrementAndGet());
                })
                .requestHandler(backend::handle)
                .listen());
        return backend;
    }

    private void handle(HttpServerRequest request) {
        received.incrementAndGet();
        hosts.add(request.getHeader("Host"));
        switch (behaviour) {
            case ANSWER -> request.response().end(name);
            case DELAY -> vertx.setTimer(delayMillis, id -> request.response().end(name));
            case HOLD -> held.add(request);
            case DIE -> request.connection().close();
        }
    }

    HttpBackend answer() {
        behaviour = Behaviour.ANSWER;
        return this;
    }

    HttpBackend delay(long millis) {
        delayMillis = millis;
        behaviour = Behaviour.DELAY;
        return this;
    }

    HttpBackend hold() {
        behaviour = Behaviour.HOLD;
        return this;
    }

    HttpBackend die() {
        behaviour = Behaviour.DIE;
        return this;
    }

    /** Answers every held request. */
    void releaseHeld() {
        held.forEach(request -> request.response().end(name));
        held.clear();
    }

    Endpoint endpoint(String revision) {
        return new Endpoint(name, "127.0.0.1", server.actualPort(), revision);
    }

    String name() {
        return name;
    }

    int received() {
        return received.get();
    }

    int openConnections() {
        return openConnections.get();
    }

    int heldCount() {
        return held.size();
    }

    List<String> hosts() {
        return hosts;
    }

    void close() {
        Await.result(server.close());
    }
}
