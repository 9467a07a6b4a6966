package dev.berth.platform.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Service's listener and load balancer (the kube-proxy's work for one Service).
 *
 * <pre>{@code
 * ServiceProxy.start(vertx, meters, ServiceProxyConfig.http(serviceKey, 8080))
 *         .onSuccess(proxy -> proxy.update(readyEndpoints));  // and again on every readiness change
 * proxy.drain(endpoint, Duration.ofSeconds(30))              // before SIGTERM to the replica
 *         .onComplete(drained -> kubelet.stop(replica));
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any thread, concurrently with traffic. Endpoint
 * changes are atomic: a request sees the old set or the new one, never a mix. A Service is served on
 * {@link ServiceProxyConfig#eventLoops()} Vert.x event loops (verticle instances sharing its port).
 */
public abstract sealed class ServiceProxy permits HttpServiceProxy, TcpServiceProxy {

    private final ServiceProxyConfig config;
    private final EndpointTable<? extends Upstream> table;
    private final ProxyMetrics metrics;

    ServiceProxy(ServiceProxyConfig config, EndpointTable<? extends Upstream> table, ProxyMetrics metrics) {
        this.config = config;
        this.table = table;
        this.metrics = metrics;
    }

    /**
     * Binds the Service's listener and returns the proxy once it accepts connections, with no
     * endpoints yet (HTTP requests get 503, TCP connections are closed until {@link #update}).
     * Fails with a {@link java.net.BindException}, leaving nothing behind, when the port is taken
     * (also by another server of the same Vertx, which Vert.x would otherwise share it with).
     */
    public static Future<ServiceProxy> start(Vertx vertx, MeterRegistry meters, ServiceProxyConfig config) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(meters, "meters");
        return switch (config.mode()) {
            case HTTP -> HttpServiceProxy.bind(vertx, meters, config);
            case TCP -> TcpServiceProxy.bind(vertx, meters, config);
        };
    }

    public ServiceProxyConfig config() {
        return config;
    }

    /** The bound port: the configured one, or the ephemeral one the OS chose for port 0. */
    public abstract int port();

    /** Replaces the endpoint set at once, keeping the traffic split. See {@link #update(List, TrafficSplit)}. */
    public void update(List<Endpoint> endpoints) {
        table.update(endpoints);
    }

    /**
     * Replaces the endpoint set and the traffic split at once. Endpoints left out stop getting new
     * requests and are drained with {@link ServiceProxyConfig#removalDrainTimeout()}; an endpoint
     * being drained by {@link #drain} stays out of rotation while it is still listed. Duplicates count once.
     *
     * @throws IllegalStateException when the proxy is closed
     */
    public void update(List<Endpoint> endpoints, TrafficSplit split) {
        table.update(endpoints, Objects.requireNonNull(split, "split"));
    }

    public TrafficSplit trafficSplit() {
        return table.split();
    }

    /**
     * Takes the endpoint out of rotation before this returns: no request or connection is routed to
     * it from then on, while those in flight finish normally. The future completes (never fails)
     * once none is left in flight and the connections to the endpoint are closed, or when
     * {@code timeout} has passed, in which case what is still open is closed. Idempotent: draining an
     * endpoint again returns the same future; an unknown endpoint completes at once.
     */
    public Future<Void> drain(Endpoint endpoint, Duration timeout) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (Objects.requireNonNull(timeout, "timeout").isNegative()) {
            throw new IllegalArgumentException("drain timeout must be >= 0: " + timeout);
        }
        return table.drain(endpoint, timeout);
    }

    /** Every endpoint the proxy holds: in rotation first, then draining ones. */
    public List<EndpointStatus> endpoints() {
        return table.status();
    }

    /** Per revision since start: requests (TCP: connections) and server errors; see {@link RequestStats}. */
    public Map<String, RequestStats> requestStats() {
        return metrics.requestStats();
    }

    /**
     * Stops listening and closes every connection at once, in flight or not (drain first for a
     * graceful stop), and removes the Service's meters. Idempotent.
     */
    public Future<Void> close() {
        return stopListening()
                .eventually(() -> table.close())
                .onComplete(ar -> metrics.close())
                .mapEmpty();
    }

    abstract Future<Void> stopListening();

    final EndpointTable<? extends Upstream> table() {
        return table;
    }

    final ProxyMetrics metrics() {
        return metrics;
    }
}
