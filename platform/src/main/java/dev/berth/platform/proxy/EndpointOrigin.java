package dev.berth.platform.proxy;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;

/**
 * vertx-http-proxy's origin for a Service: opens the request on the pool of an endpoint from the current
 * rotation, retrying another endpoint only when the connection cannot be had ({@link ConnectFailureRetry}).
 * Once the request exists it is never retried: it may have reached a replica.
 *
 * <p>Thread-safe and stateless apart from the table.
 */
final class EndpointOrigin implements OriginRequestProvider {

    private final ConnectFailureRetry<HttpUpstream, HttpClientRequest> retry;

    EndpointOrigin(EndpointTable<HttpUpstream> table, ServiceProxyConfig config) {
        this.retry = new ConnectFailureRetry<>(table, HttpUpstream::request, config);
    }

    @Override
    public Future<HttpClientRequest> create(ProxyContext context) {
        Exchange exchange = context.get(Exchange.KEY, Exchange.class);
        if (exchange == null) {
            return Future.failedFuture(new IllegalStateException("request reached the origin without an exchange"));
        }
        return retry.connect().compose(connected -> {
            if (exchange.bind(connected.upstream())) {
                return Future.succeededFuture(connected.connection());
            }
            connected.upstream().release(); // the client left while we connected; nothing was sent
            connected.connection().reset();
            return Future.failedFuture(new IllegalStateException("client closed the connection"));
        });
    }
}
