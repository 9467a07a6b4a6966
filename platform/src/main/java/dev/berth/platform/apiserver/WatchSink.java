package dev.berth.platform.apiserver;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One watch connection's writer. Lines come from any thread (the store's dispatcher, a worker, a timer) and wait here;
 * the connection's event loop writes all that waits at once — one write and one flush per loop turn, however many
 * events came, instead of one per event. While the connection's own queue is full nothing more is handed to it. A
 * client more than {@link #MAX_PENDING_BYTES} behind is cut: its connection is closed (as kube-apiserver closes a
 * watcher whose buffer is full) and it re-watches from the last version it read; what it received is always every
 * line up to some point, in order, none skipped. Thread-safe.
 */
final class WatchSink {

    /** A client this far behind is cut rather than buffered without bound. */
    static final int MAX_PENDING_BYTES = 16 * 1024 * 1024;
    /** The connection's own queue: beyond it, lines wait here (and count towards {@link #MAX_PENDING_BYTES}). */
    static final int CONNECTION_QUEUE_BYTES = 1024 * 1024;

    /** Where the lines go: a chunked HTTP response or a WebSocket. Called on the connection's event loop only. */
    private interface Connection {
        void write(List<Buffer> lines);

        void closeHandler(Runnable action);

        void writeHead();

        void end();

        void close();

        boolean isClosed();
    }

    private enum State { OPEN, ENDED, CUT }

    private final Context loop;
    /** The connection's queue, which {@link Connection} writes to. */
    private final WriteStream<Buffer> queue;
    private final Connection connection;
    private List<Buffer> pending = new ArrayList<>();
    private long pendingBytes;
    /** A drain is queued on the loop, or waits for the connection's queue to empty. */
    private boolean draining;
    private State state = State.OPEN;
    private Runnable onClose;
    /** The client went away before {@link #onClose} was given. */
    private boolean leftEarly;

    private WatchSink(Context loop, WriteStream<Buffer> queue, Connection connection) {
        this.loop = loop;
        this.queue = queue;
        this.connection = connection;
        loop.runOnContext(registered -> {
            queue.drainHandler(drained -> drain());
            connection.closeHandler(this::clientLeft);
            if (connection.isClosed()) {
                clientLeft(); // before the handler was set: it would never be called
            }
        });
    }

    /** A chunked {@code application/json} response of one line per event; {@code loop} is its connection's context. */
    static WatchSink of(HttpServerResponse response, Context loop) {
        response.setChunked(true).setWriteQueueMaxSize(CONNECTION_QUEUE_BYTES).putHeader("Content-Type", "application/json").setStatusCode(200);
        return new WatchSink(loop, response, new Connection() {
            @Override
            public void write(List<Buffer> lines) {
                Buffer chunk = Buffer.buffer(lines.stream().mapToInt(l -> l.length() + 1).sum());
                for (Buffer line : lines) {
                    chunk.appendBuffer(line).appendByte((byte) '\n');
                }
                response.write(chunk);
            }

            @Override
            public void closeHandler(Runnable action) {
                response.closeHandler(v -> action.run());
            }

            @Override
            public void writeHead() {
                if (!response.headWritten() && !response.closed()) {
                    response.writeHead(); // as kube-apiserver flushes its 200 at once: clients wait for it before reading events
                }
            }

            @Override
            public void end() {
                if (!response.closed() && !response.ended()) {
                    response.end();
                }
            }

            @Override
            public void close() {
                if (!response.closed()) {
                    response.close();
                }
            }

            @Override
            public boolean isClosed() {
                return response.closed();
            }
        });
    }

    /** One text message per event (a WebSocket frame is a message: lines are not joined); {@code loop} is its context. */
    static WatchSink of(ServerWebSocket socket, Context loop) {
        socket.setWriteQueueMaxSize(CONNECTION_QUEUE_BYTES);
        return new WatchSink(loop, socket, new Connection() {
            @Override
            public void write(List<Buffer> lines) {
                for (Buffer line : lines) {
                    socket.writeTextMessage(line.toString());
                }
            }

            @Override
            public void closeHandler(Runnable action) {
                socket.closeHandler(v -> action.run());
            }

            @Override
            public void writeHead() {}

            @Override
            public void end() {
                if (!socket.isClosed()) {
                    socket.close();
                }
            }

            @Override
            public void close() {
                end();
            }

            @Override
            public boolean isClosed() {
                return socket.isClosed();
            }
        });
    }

    /**
     * Queues one event's line (without its line end); ignored once the sink ended or was cut. {@code line} is not
     * copied and must not change afterwards.
     */
    void write(Buffer line) {
        boolean schedule;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            if (pendingBytes + line.length() > MAX_PENDING_BYTES) {
                cut();
                return;
            }
            pending.add(line);
            pendingBytes += line.length();
            schedule = !draining;
            draining = true;
        }
        if (schedule) {
            loop.runOnContext(v -> drain());
        }
    }

    /** The watch is established: the client sees its answer begin even before the first event. */
    void started() {
        loop.runOnContext(v -> {
            synchronized (this) {
                if (state != State.OPEN) {
                    return;
                }
            }
            connection.writeHead();
        });
    }

    /**
     * {@code action} runs once, when the client goes away or is cut, on the event loop (at once if the client is
     * already gone); not after {@link #end()}.
     */
    void onClose(Runnable action) {
        synchronized (this) {
            this.onClose = action;
            if (!leftEarly) {
                return;
            }
        }
        action.run();
    }

    /** Writes what is still pending, then ends the stream. Idempotent. */
    void end() {
        List<Buffer> rest;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.ENDED;
            rest = pending;
            pending = List.of();
            pendingBytes = 0;
        }
        loop.runOnContext(v -> {
            if (!rest.isEmpty()) {
                connection.write(rest);
            }
            connection.end();
        });
    }

    /** On the event loop: hands everything pending to the connection in one write, unless its queue is full. */
    private void drain() {
        if (queue.writeQueueFull()) {
            return; // draining stays set: the drain handler calls again once the client has read
        }
        List<Buffer> batch;
        synchronized (this) {
            draining = false;
            if (state != State.OPEN || pending.isEmpty()) {
                return;
            }
            batch = pending;
            pending = new ArrayList<>();
            pendingBytes = 0;
        }
        connection.write(batch);
    }

    /** Under the lock: drops what is pending and closes the connection; the client resumes from what it read. */
    private void cut() {
        state = State.CUT;
        pending = List.of();
        pendingBytes = 0;
        Runnable action = onClose;
        leftEarly = action == null;
        loop.runOnContext(v -> {
            connection.close();
            if (action != null) {
                action.run();
            }
        });
    }

    private void clientLeft() {
        Runnable action;
        synchronized (this) {
            boolean wasOpen = state == State.OPEN;
            state = State.ENDED;
            pending = List.of();
            pendingBytes = 0;
            if (!wasOpen) {
                return;
            }
            action = onClose;
            leftEarly = action == null;
        }
        if (action != null) {
            action.run();
        }
    }
}
