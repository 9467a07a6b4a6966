package dev.berth.platform.proxy;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import java.time.Duration;
import java.util.Objects;

/**
 * How one Service is proxied. Immutable; start from {@link #http} or {@link #tcp} and adjust with the
 * {@code with*} methods.
 *
 * @param service                   the Service ({@link ResourceKind#SERVICE}) this proxy serves
 * @param bindHost                  where the listener binds; the local engine keeps everything on loopback
 * @param port                      the Service's port; 0 binds an ephemeral one ({@link ServiceProxy#port()} tells which)
 * @param eventLoops                how many Vert.x event loops serve the listener (each a verticle on the same port)
 * @param maxConnectionsPerEndpoint HTTP: keep-alive pool size per endpoint; requests beyond it queue
 * @param connectTimeout            a connect taking longer counts as failed and the next endpoint is tried
 * @param removalDrainTimeout       how long an endpoint that an update left out may finish its in-flight work
 * @param connectAttempts           endpoints one request (TCP: one connection) tries before it is refused; only a
 *                                  failed connect is retried, since nothing reached a replica (Envoy's {@code connect-failure})
 * @param ejectionTime              how long an endpoint that failed a connect is passed over while others are in rotation
 *                                  (Envoy's outlier ejection, without its consecutive-failure count: on loopback a
 *                                  refused connect means the replica's listener is gone)
 */
public record ServiceProxyConfig(ObjectKey service, ProxyMode mode, String bindHost, int port,
                                 int eventLoops, LoadBalancingStrategy strategy, int maxConnectionsPerEndpoint,
                                 Duration connectTimeout, Duration removalDrainTimeout, int connectAttempts,
                                 Duration ejectionTime) {

    public static final String LOOPBACK = "127.0.0.1";
    // Two: on this 2-core target one event loop caps a busy Service at ~28k req/s, two reach ~33k
    // (ci/bench-proxy.sh); idle loops cost nothing and Services spread over Vert.x's event loops.
    public static final int DEFAULT_EVENT_LOOPS = 2;
    // Enough for a replica's worker pool; more connections would only queue inside the replica.
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT = 64;
    // Loopback connects succeed or are refused at once; a second means the replica is wedged.
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    // Kubernetes' default terminationGracePeriodSeconds.
    public static final Duration DEFAULT_REMOVAL_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    // Envoy's default retry policy allows one retry; one more covers two dead replicas of a three-replica Service.
    public static final int DEFAULT_CONNECT_ATTEMPTS = 3;
    // About a replica's restart: the kubelet restarts a crashed one at once, and its readiness (or its removal
    // from the Endpoints) replaces the upstream, which ends an ejection earlier.
    public static final Duration DEFAULT_EJECTION_TIME = Duration.ofSeconds(5);

    public ServiceProxyConfig {
        Objects.requireNonNull(service, "service");
        if (service.kind() != ResourceKind.SERVICE) {
            throw new IllegalArgumentException("a proxy serves a Service, not " + service);
        }
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(removalDrainTimeout, "removalDrainTimeout");
        Objects.requireNonNull(ejectionTime, "ejectionTime");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(service + ": port " + port + " is not in 0..65535");
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException(service + ": eventLoops must be >= 1");
        }
        if (maxConnectionsPerEndpoint < 1) {
            throw new IllegalArgumentException(service + ": maxConnectionsPerEndpoint must be >= 1");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || removalDrainTimeout.isNegative()) {
            throw new IllegalArgumentException(service + ": connectTimeout must be > 0 and removalDrainTimeout >= 0");
        }
        if (connectAttempts < 1 || ejectionTime.isNegative()) {
            throw new IllegalArgumentException(service + ": connectAttempts must be >= 1 and ejectionTime >= 0");
        }
    }

    /** {@code namespace/name}: the {@code service} metric tag and what log lines name. */
    public String serviceName() {
        return service.namespace() + "/" + service.name();
    }

    public static ServiceProxyConfig http(ObjectKey service, int port) {
        return new ServiceProxyConfig(service, ProxyMode.HTTP, LOOPBACK, port, DEFAULT_EVENT_LOOPS, LoadBalancingStrategy.ROUND_ROBIN,
                DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REMOVAL_DRAIN_TIMEOUT, DEFAULT_CONNECT_ATTEMPTS,
                DEFAULT_EJECTION_TIME);
    }

    public static ServiceProxyConfig tcp(ObjectKey service, int port) {
        return http(service, port).withMode(ProxyMode.TCP);
    }

    public ServiceProxyConfig withMode(ProxyMode newMode) {
        return new ServiceProxyConfig(service, newMode, bindHost, port, eventLoops, strategy, maxConnectionsPerEndpoint,
                connectTimeout, removalDrainTimeout, connectAttempts, ejectionTime);
    }

    public ServiceProxyConfig withEventLoops(int loops) {
        return new ServiceProxyConfig(service, mode, bindHost, port, loops, strategy, maxConnectionsPerEndpoint,
                connectTimeout, removalDrainTimeout, connectAttempts, ejectionTime);
    }

    public ServiceProxyConfig withStrategy(LoadBalancingStrategy newStrategy) {
        return new ServiceProxyConfig(service, mode, bindHost, port, eventLoops, newStrategy, maxConnectionsPerEndpoint,
                connectTimeout, removalDrainTimeout, connectAttempts, ejectionTime);
    }

    public ServiceProxyConfig withMaxConnectionsPerEndpoint(int max) {
        return new ServiceProxyConfig(service, mode, bindHost, port, eventLoops, strategy, max, connectTimeout, removalDrainTimeout,
                connectAttempts, ejectionTime);
    }

    public ServiceProxyConfig withRemovalDrainTimeout(Duration timeout) {
        return new ServiceProxyConfig(service, mode, bindHost, port, eventLoops, strategy, maxConnectionsPerEndpoint,
                connectTimeout, timeout, connectAttempts, ejectionTime);
    }

    public ServiceProxyConfig withEjectionTime(Duration time) {
        return new ServiceProxyConfig(service, mode, bindHost, port, eventLoops, strategy, maxConnectionsPerEndpoint,
                connectTimeout, removalDrainTimeout, connectAttempts, time);
    }
}
