package dev.berth.platform.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Loopback ports nothing listens on: connecting to one is refused, like a replica that died. */
final class RefusedPort {

    /** The dead endpoints' ports, bound but never listening until released */
    private static final Map<Integer, Socket> HELD = new ConcurrentHashMap<>();

    private RefusedPort() {
    }

    /** A port free a moment ago, for a server the test binds to it itself. */
    static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A dead replica's endpoint. Its port stays bound by a socket that never listens, so no server started later —
     * such as the proxy under test, on an ephemeral port — can be given it and answer in the dead replica's place.
     */
    static Endpoint endpoint(String replica, String revision) {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HELD.put(socket.getLocalPort(), socket);
        return new Endpoint(replica, "127.0.0.1", socket.getLocalPort(), revision);
    }

    /** Frees a dead endpoint's port, for a replica that comes back on it. */
    static void release(Endpoint endpoint) {
        Socket socket = HELD.remove(endpoint.port());
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
