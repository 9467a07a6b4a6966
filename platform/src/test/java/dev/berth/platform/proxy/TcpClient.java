package dev.berth.platform.proxy;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/** A client connection through a TCP Service proxy that collects what it receives. */
final class TcpClient {

    private final NetSocket socket;
    private final Buffer received = Buffer.buffer();
    private volatile boolean closed;

    private TcpClient(NetSocket socket) {
        this.socket = socket;
        socket.handler(data -> {
            synchronized (received) {
                received.appendBuffer(data);
            }
        });
        socket.closeHandler(v -> closed = true);
    }

    /** Connects on a Vert.x context, so the handlers are in place before the first byte or the close. */
    static TcpClient connect(Vertx vertx, NetClient client, int port) {
        Promise<TcpClient> connected = Promise.promise();
        vertx.runOnContext(v -> client.connect(port, "127.0.0.1").map(TcpClient::new).onComplete(connected));
        return Await.result(connected.future());
    }

    void send(String text) {
        socket.write(text);
    }

    void send(Buffer data) {
        socket.write(data);
    }

    String received() {
        synchronized (received) {
            return received.toString();
        }
    }

    int receivedBytes() {
        synchronized (received) {
            return received.length();
        }
    }

    Buffer receivedBuffer() {
        synchronized (received) {
            return received.copy();
        }
    }

    boolean closed() {
        return closed;
    }

    void close() {
        Await.result(socket.close());
    }
}
