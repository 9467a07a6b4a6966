package dev.berth.platform.proxy;

import dev.berth.platform.model.ObjectKey;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every Service proxy of the local engine, by Service key. The core creates one when a Service is
 * applied, updates its endpoints as readiness changes and removes it with the Service.
 *
 * <p>Thread-safe. A key is taken from the moment {@link #create} is called, so two concurrent
 * creates of one Service cannot both bind a listener.
 */
public final class ServiceProxies {

    private final Vertx vertx;
    private final MeterRegistry meters;
    private final Map<ObjectKey, Future<ServiceProxy>> proxies = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ServiceProxies(Vertx vertx, MeterRegistry meters) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /**
     * Starts the proxy of {@code config.service()}. Fails with {@link IllegalStateException} when that
     * Service already has one (or this registry is closed), and with the bind error when the port is
     * taken; a failed create leaves the key free.
     */
    public Future<ServiceProxy> create(ServiceProxyConfig config) {
        ObjectKey key = config.service();
        if (closed) {
            return Future.failedFuture(new IllegalStateException("service proxies are closed"));
        }
        Promise<ServiceProxy> reserved = Promise.promise();
        if (proxies.putIfAbsent(key, reserved.future()) != null) {
            return Future.failedFuture(new IllegalStateException("service " + config.serviceName() + " already has a proxy"));
        }
        ServiceProxy.start(vertx, meters, config).onComplete(started -> {
            if (started.failed()) {
                proxies.remove(key, reserved.future());
            } else if (closed) {
                // close() ran while we were binding and did not see this proxy as started.
                started.result().close();
                proxies.remove(key, reserved.future());
                reserved.fail(new IllegalStateException("service proxies are closed"));
                return;
            }
            reserved.handle(started);
        });
        return reserved.future();
    }

    /** The started proxy of a Service; empty while it is still binding or when there is none. */
    public Optional<ServiceProxy> get(ObjectKey service) {
        Future<ServiceProxy> proxy = proxies.get(service);
        return proxy != null && proxy.succeeded() ? Optional.of(proxy.result()) : Optional.empty();
    }

    /** The port a Service's proxy listens on. */
    public OptionalInt port(ObjectKey service) {
        return get(service).map(p -> OptionalInt.of(p.port())).orElse(OptionalInt.empty());
    }

    /**
     * Replaces a Service's endpoints ({@link ServiceProxy#update(List)}).
     *
     * @throws NoSuchElementException when the Service has no started proxy
     */
    public void update(ObjectKey service, List<Endpoint> endpoints) {
        require(service).update(endpoints);
    }

    /** Replaces a Service's endpoints and traffic split ({@link ServiceProxy#update(List, TrafficSplit)}). */
    public void update(ObjectKey service, List<Endpoint> endpoints, TrafficSplit split) {
        require(service).update(endpoints, split);
    }

    /** Closes and forgets a Service's proxy ({@link ServiceProxy#close()}). Idempotent. */
    public Future<Void> remove(ObjectKey service) {
        Future<ServiceProxy> proxy = proxies.remove(service);
        return proxy == null ? Future.succeededFuture() : proxy.transform(started ->
                started.succeeded() ? started.result().close() : Future.succeededFuture());
    }

    public List<ServiceProxy> all() {
        List<ServiceProxy> all = new ArrayList<>();
        proxies.values().forEach(p -> {
            if (p.succeeded()) {
                all.add(p.result());
            }
        });
        return all;
    }

    /** Closes every proxy; later creates fail. Idempotent. */
    public Future<Void> close() {
        closed = true;
        List<Future<Void>> closing = new ArrayList<>();
        for (ObjectKey key : List.copyOf(proxies.keySet())) {
            closing.add(remove(key));
        }
        return Future.join(closing).mapEmpty();
    }

    private ServiceProxy require(ObjectKey service) {
        return get(service).orElseThrow(() -> new NoSuchElementException("service " + service + " has no proxy"));
    }
}
