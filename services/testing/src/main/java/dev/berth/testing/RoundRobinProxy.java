package dev.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP round-robin in front of several replicas on loopback, the harshest kind of Service: it neither checks
 * health nor retries, so after a replica dies, connections it is given are closed at once. Each accepted
 * connection goes to the next backend for its whole life (so HTTP keep-alive sticks to one replica, as
 * through a kube-proxy Service). Thread-safe; {@link #close()} drops every connection.
 */
public final class RoundRobinProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<Integer> backendPorts;
    private final AtomicInteger next = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "round-robin-proxy");
        t.setDaemon(true);
        return t;
    });

    private RoundRobinProxy(ServerSocket server, List<Integer> backendPorts) {
        this.server = server;
        this.backendPorts = List.copyOf(backendPorts);
    }

    /** Listens on a free loopback port and forwards to {@code backendPorts} in turn. */
    public static RoundRobinProxy start(List<Integer> backendPorts) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            RoundRobinProxy proxy = new RoundRobinProxy(server, backendPorts);
            proxy.threads.execute(proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                threads.execute(() -> relay(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void relay(Socket client) {
        int port = backendPorts.get(Math.floorMod(next.getAndIncrement(), backendPorts.size()));
        Socket backend = new Socket();
        open.add(backend);
        try {
            backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            threads.execute(() -> copy(backend, client));
            copy(client, backend);
        } catch (IOException e) {
            closeBoth(client, backend); // a dead replica: the client sees its connection closed
        }
    }

    /** Copies until either side ends, then closes both (HTTP clients never half-close). */
    private void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // reset or closed by the other copier: the connection is over either way
        } finally {
            closeBoth(from, to);
        }
    }

    private void closeBoth(Socket a, Socket b) {
        for (Socket s : new Socket[] {a, b}) {
            open.remove(s);
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(s -> closeBoth(s, s));
        threads.shutdownNow();
    }
}
