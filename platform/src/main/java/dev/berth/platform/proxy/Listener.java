package dev.berth.platform.proxy;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A Service's listening socket, served by one or more event loops: each event loop is a verticle
 * instance binding its own server to the same address, and Vert.x shares the socket and spreads the
 * accepted connections over them. Undeploying closes the servers. Thread-safe.
 *
 * <p>Vert.x shares a fixed port with any server of the same Vertx already on it (the core's own HTTP
 * port, another Service's listener) instead of failing, which would mix their traffic silently. So a
 * fixed port is claimed here first, and refused when another listener holds it or any socket is
 * bound to it.
 */
final class Listener {

    // Vert.x shares an ephemeral port among servers that ask for the same negative port; each
    // listener needs its own value so that two Services never share one.
    private static final AtomicInteger SHARED_EPHEMERAL = new AtomicInteger();

    private static final Set<String> CLAIMED = ConcurrentHashMap.newKeySet(); // host:port of fixed-port listeners

    private final Vertx vertx;
    private final String deployment;
    private final int port;
    private final String claim; // null for an ephemeral port

    private Listener(Vertx vertx, String deployment, int port, String claim) {
        this.vertx = vertx;
        this.deployment = deployment;
        this.port = port;
        this.claim = claim;
    }

    /**
     * Binds on {@code eventLoops} event loops; {@code bind} runs on each with the port to ask for and
     * returns the port bound. Fails, with nothing left bound, when one of them cannot bind.
     */
    static Future<Listener> start(Vertx vertx, String host, int port, int eventLoops, IntFunction<Future<Integer>> bind) {
        String claim = port > 0 ? host + ":" + port : null;
        if (claim != null && !claim(claim, host, port)) {
            return Future.failedFuture(new BindException("Address already in use: " + claim));
        }
        int requested = port == 0 && eventLoops > 1 ? -1 - Math.floorMod(SHARED_EPHEMERAL.getAndIncrement(), 1 << 30) : port;
        AtomicInteger bound = new AtomicInteger();
        return vertx.deployVerticle(() -> new Binder(requested, bind, bound), new DeploymentOptions().setInstances(eventLoops))
                .map(deployment -> new Listener(vertx, deployment, bound.get(), claim))
                .onFailure(error -> release(claim));
    }

    /** Claims host:port unless another listener has it or a socket is bound to it now. */
    private static boolean claim(String claim, String host, int port) {
        if (!CLAIMED.add(claim)) {
            return false;
        }
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            return true;
        } catch (IOException taken) {
            CLAIMED.remove(claim);
            return false;
        }
    }

    private static void release(String claim) {
        if (claim != null) {
            CLAIMED.remove(claim);
        }
    }

    int port() {
        return port;
    }

    Future<Void> close() {
        return vertx.undeploy(deployment).onComplete(ar -> release(claim));
    }

    /** One event loop's server; binding inside start() ties the server to this verticle's event loop. */
    private static final class Binder extends AbstractVerticle {
        private final int port;
        private final IntFunction<Future<Integer>> bind;
        private final AtomicInteger bound;

        Binder(int port, IntFunction<Future<Integer>> bind, AtomicInteger bound) {
            this.port = port;
            this.bind = bind;
            this.bound = bound;
        }

        @Override
        public void start(Promise<Void> started) {
            bind.apply(port).onSuccess(bound::set).<Void>mapEmpty().onComplete(started);
        }
    }
}
