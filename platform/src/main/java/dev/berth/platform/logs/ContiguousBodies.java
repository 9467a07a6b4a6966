package dev.berth.platform.logs;

import co.elastic.clients.transport.TransportOptions;
import co.elastic.clients.transport.http.TransportHttpClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The client's HTTP layer with each request body joined into a few large buffers before it is sent. elasticsearch-java
 * hands a {@code _bulk} body over as four buffers per document (action, newline, document, newline), and the REST client
 * writes each as its own HTTP chunk, one event-loop turn and one socket write apiece: 8,000 chunks for a batch of
 * 2,000 documents, which Elasticsearch then decodes one by one. Joined, a batch goes out in socket-buffer-sized
 * writes. One copy of the body per request is what it costs, in buffers of at most {@link #CHUNK} bytes: a batch is
 * 1–4 MiB, and one array that size is a humongous object for G1 (half a region or more; regions are 1 MiB in heaps
 * under 2 GiB), allocated straight into the old generation, and every few of them started a concurrent marking cycle.
 * Thread-safe if the delegate is.
 */
final class ContiguousBodies implements TransportHttpClient {

    private final TransportHttpClient delegate;

    ContiguousBodies(TransportHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public TransportOptions createOptions(TransportOptions options) {
        return delegate.createOptions(options);
    }

    @Override
    public Response performRequest(String endpointId, Node node, Request request, TransportOptions options) throws IOException {
        return delegate.performRequest(endpointId, node, joined(request), options);
    }

    @Override
    public CompletableFuture<Response> performRequestAsync(String endpointId, Node node, Request request, TransportOptions options) {
        return delegate.performRequestAsync(endpointId, node, joined(request), options);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    /** The largest buffer a body is joined into: a quarter of G1's smallest region, never a humongous object. */
    static final int CHUNK = 256 * 1024;

    /** The request with its body in buffers of {@link #CHUNK} bytes (the last one shorter); the same request when it has at most one buffer. */
    static Request joined(Request request) {
        Iterable<ByteBuffer> body = request.body();
        if (body == null) {
            return request;
        }
        Iterator<ByteBuffer> it = body.iterator();
        if (!it.hasNext()) {
            return request;
        }
        it.next();
        if (!it.hasNext()) {
            return request;
        }
        long left = 0;
        for (ByteBuffer b : body) {
            left += b.remaining();
        }
        List<ByteBuffer> chunks = new ArrayList<>((int) (left / CHUNK) + 1);
        ByteBuffer chunk = null;
        for (ByteBuffer b : body) {
            ByteBuffer from = b.duplicate(); // the buffers may be read again on a retry
            while (from.hasRemaining()) {
                if (chunk == null || !chunk.hasRemaining()) {
                    chunk = ByteBuffer.allocate((int) Math.min(CHUNK, left));
                    chunks.add(chunk);
                }
                int n = Math.min(from.remaining(), chunk.remaining());
                chunk.put(chunk.position(), from, from.position(), n);
                chunk.position(chunk.position() + n);
                from.position(from.position() + n);
                left -= n;
            }
        }
        chunks.forEach(ByteBuffer::flip);
        return new Request(request.method(), request.path(), request.queryParams(), request.headers(), List.copyOf(chunks));
    }
}
