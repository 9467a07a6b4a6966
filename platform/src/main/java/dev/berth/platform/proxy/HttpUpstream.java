package dev.berth.platform.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * An HTTP endpoint with its own keep-alive pool: one pool per endpoint, so that draining can close
 * exactly this endpoint's connections. Thread-safe.
 */
final class HttpUpstream extends Upstream {

    // Below the shortest keep-alive servers commonly use (Node's 5 s): a request written to a
    // connection the replica is closing at that instant may have reached it, so it cannot be retried.
    private static final int KEEP_ALIVE_SECONDS = 4;

    private final HttpClient client;

    HttpUpstream(Vertx vertx, Endpoint endpoint, ServiceProxyConfig config) {
        super(vertx, endpoint);
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setDefaultHost(endpoint.host())
                        .setDefaultPort(endpoint.port())
                        .setKeepAlive(true)
                        .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                        .setPipelining(false) // a pipelined request behind a failing one could not be retried or answered
                        .setTcpNoDelay(true)
                        .setConnectTimeout((int) config.connectTimeout().toMillis()),
                new PoolOptions().setHttp1MaxSize(config.maxConnectionsPerEndpoint()));
    }

    /**
     * A request on a pooled or new connection. The future fails only before anything was written (no
     * connection could be had), which is what makes retrying another endpoint safe.
     */
    Future<HttpClientRequest> request() {
        return client.request(new RequestOptions().setHost(endpoint().host()).setPort(endpoint().port()));
    }

    @Override
    Future<Void> closeConnections() {
        return client.close();
    }
}
