package dev.berth.platform.logs;

import co.elastic.clients.transport.TransportOptions;
import co.elastic.clients.transport.http.TransportHttpClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The client's HTTP layer with each request body joined into one buffer before it is sent. elasticsearch-java hands a
 * {@code _bulk} body over as four buffers per document (action, newline, document, newline), and the REST client
 * writes each as its own HTTP chunk, one event-loop turn and one socket write apiece: 8,000 chunks for a batch of
 * 2,000 documents, which Elasticsearch then decodes one by one. Joined, a batch goes out in socket-buffer-sized
 * writes. One copy of the body per request (about 1 MiB per batch) is what it costs. Thread-safe if the delegate is.
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

    /** The request with its body as one buffer; the same request when it has at most one. */
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
        long size = 0;
        for (ByteBuffer b : body) {
            size += b.remaining();
        }
        ByteBuffer one = ByteBuffer.allocate(Math.toIntExact(size));
        for (ByteBuffer b : body) {
            one.put(b.duplicate()); // the buffers may be read again on a retry
        }
        one.flip();
        return new Request(request.method(), request.path(), request.queryParams(), request.headers(), List.of(one));
    }
}
