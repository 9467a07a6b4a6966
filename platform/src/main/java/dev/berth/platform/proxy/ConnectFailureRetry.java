package dev.berth.platform.proxy;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Envoy's {@code connect-failure} retry policy with outlier ejection, for both proxy modes: opens a connection to
 * an endpoint from the current rotation and, when the connect fails (refused, reset, timed out), ejects that
 * endpoint for {@link ServiceProxyConfig#ejectionTime()} and tries another, at most
 * {@link ServiceProxyConfig#connectAttempts()} endpoints in all. Retrying is safe only because nothing of the
 * request has left the proxy yet; what fails after the connection exists is never retried here.
 *
 * <p>Thread-safe and stateless apart from the table.
 *
 * @param <U> the upstream kind
 * @param <C> what a successful connect yields (an HTTP request on a pooled connection, a socket)
 */
final class ConnectFailureRetry<U extends Upstream, C> {

    private static final Logger LOG = Logger.getLogger(ConnectFailureRetry.class);

    /** The acquired upstream (the caller releases it) and the connection to it. */
    record Connected<U, C>(U upstream, C connection) {
    }

    private final EndpointTable<U> table;
    private final Function<U, Future<C>> open;
    private final ServiceProxyConfig config;

    ConnectFailureRetry(EndpointTable<U> table, Function<U, Future<C>> open, ServiceProxyConfig config) {
        this.table = table;
        this.open = open;
        this.config = config;
    }

    /**
     * Connects to one endpoint; fails with {@link NoReadyEndpointException} when none is in rotation or every one
     * tried failed its connect. On success the upstream is acquired (counted in flight) and must be released.
     */
    Future<Connected<U, C>> connect() {
        return connect(List.of());
    }

    private Future<Connected<U, C>> connect(List<U> tried) {
        U upstream = tried.size() < config.connectAttempts() ? table.rotation().acquire(tried) : null;
        if (upstream == null) {
            return Future.failedFuture(new NoReadyEndpointException(config.serviceName(), tried.size()));
        }
        return open.apply(upstream).transform(connected -> {
            if (connected.succeeded()) {
                return Future.succeededFuture(new Connected<>(upstream, connected.result()));
            }
            upstream.release();
            Endpoint endpoint = upstream.endpoint();
            if (upstream.eject(config.ejectionTime())) {
                LOG.infof("service %s: endpoint %s (%s) failed a connect, ejected for %s: %s", config.serviceName(),
                        endpoint.replica(), endpoint.address(), config.ejectionTime(), connected.cause().toString());
            }
            List<U> next = new ArrayList<>(tried);
            next.add(upstream);
            return connect(next);
        });
    }
}
