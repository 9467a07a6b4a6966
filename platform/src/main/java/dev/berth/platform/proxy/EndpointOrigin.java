package dev.berth.platform.proxy;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * vertx-http-proxy's origin for a Service: picks an endpoint from the current rotation and opens the
 * request on that endpoint's pool. When the connection cannot be had (refused, reset, timed out) the
 * next endpoint is tried, since no byte has left the proxy yet; every endpoint is tried at most once.
 * Once the request exists it is never retried: it may have reached a replica.
 *
 * <p>Thread-safe and stateless apart from the table.
 */
final class EndpointOrigin implements OriginRequestProvider {

    private static final Logger LOG = Logger.getLogger(EndpointOrigin.class);

    private final EndpointTable<HttpUpstream> table;
    private final String service;

    EndpointOrigin(EndpointTable<HttpUpstream> table, String service) {
        this.table = table;
        this.service = service;
    }

    @Override
    public Future<HttpClientRequest> create(ProxyContext context) {
        Exchange exchange = context.get(Exchange.KEY, Exchange.class);
        if (exchange == null) {
            return Future.failedFuture(new IllegalStateException("request reached the origin without an exchange"));
        }
        return connect(exchange, List.of());
    }

    private Future<HttpClientRequest> connect(Exchange exchange, List<HttpUpstream> tried) {
        HttpUpstream upstream = table.rotation().acquire(tried);
        if (upstream == null) {
            return Future.failedFuture(new NoReadyEndpointException(service, tried.size()));
        }
        return upstream.request().transform(connected -> {
            if (connected.succeeded()) {
                if (exchange.bind(upstream)) {
                    return Future.succeededFuture(connected.result());
                }
                upstream.release(); // the client left while we connected; nothing was sent
                connected.result().reset();
                return Future.failedFuture(new IllegalStateException("client closed the connection"));
            }
            upstream.release();
            LOG.debugf("service %s: endpoint %s (%s) refused a connection, trying the next: %s",
                    service, upstream.endpoint().replica(), upstream.endpoint().address(), connected.cause().toString());
            List<HttpUpstream> next = new ArrayList<>(tried);
            next.add(upstream);
            return connect(exchange, next);
        });
    }
}
