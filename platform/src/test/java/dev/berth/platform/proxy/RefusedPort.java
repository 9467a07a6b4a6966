package dev.berth.platform.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A loopback port nothing listens on: connecting to it is refused, like a replica that died. */
final class RefusedPort {

    private RefusedPort() {
    }

    static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Endpoint endpoint(String replica, String revision) {
        return new Endpoint(replica, "127.0.0.1", next(), revision);
    }
}
