package dev.berth.platform.engine;

import dev.berth.platform.controller.EndpointsController;
import dev.berth.platform.controller.PodTemplates;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.proxy.Endpoint;
import dev.berth.platform.proxy.EndpointStatus;
import dev.berth.platform.proxy.ServiceProxies;
import dev.berth.platform.proxy.ServiceProxy;
import dev.berth.platform.proxy.ServiceProxyConfig;
import dev.berth.platform.proxy.TrafficSplit;
import dev.berth.platform.runtime.TrafficDrain;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.StoreException;
import dev.berth.platform.store.WatchEvent;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.vertx.core.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The kube-proxy's control loop: gives every Service (except headless ones) a listener on 127.0.0.1 — the port
 * named in config, the one it had before (annotation {@code berth.dev/local-port}), or the next free one from
 * the range — and keeps each listener's endpoints equal to the Service's ready Endpoints. HTTP unless the port
 * says otherwise (PostgreSQL's 5432, or a name/appProtocol that is not http). Also the {@link TrafficDrain} the
 * kubelet uses before it stops a replica. Thread-safe.
 */
public final class ServiceRouting implements TrafficDrain, AutoCloseable {

    public static final String LOCAL_PORT_ANNOTATION = "berth.dev/local-port";
    private static final Logger LOG = Logger.getLogger(ServiceRouting.class);

    private final ObjectStore store;
    private final ServiceProxies proxies;
    private final Map<String, Integer> fixedPorts;
    private final int rangeStart;
    private final Set<ObjectKey> starting = ConcurrentHashMap.newKeySet();
    /** Ports handed out to listeners that are still binding, so two Services never get the same one. */
    private final Set<Integer> reserved = ConcurrentHashMap.newKeySet();
    private AutoCloseable subscription;

    public ServiceRouting(ObjectStore store, ServiceProxies proxies, Map<String, Integer> fixedPorts, int rangeStart) {
        this.store = store;
        this.proxies = proxies;
        this.fixedPorts = fixedPorts;
        this.rangeStart = rangeStart;
    }

    public void start() {
        subscription = store.watch(k -> k.kind() == ResourceKind.SERVICE || k.kind() == ResourceKind.ENDPOINTS, this::changed);
        for (Service s : store.<Service>list(ResourceKind.SERVICE, null, null)) {
            ensure(s);
        }
    }

    /** The local port of a Service's listener, or -1 if it has none (yet). */
    public int portOf(Service s) {
        return proxies.port(ObjectKey.of(s)).orElse(-1);
    }

    private void changed(WatchEvent e) {
        if (e.key().kind() == ResourceKind.SERVICE) {
            if (e.type() == WatchEvent.Type.DELETED) {
                proxies.remove(e.key());
            } else {
                ensure((Service) e.object());
            }
        } else {
            ObjectKey service = new ObjectKey(ResourceKind.SERVICE, e.key().namespace(), e.key().name());
            if (proxies.get(service).isPresent()) {
                if (e.type() == WatchEvent.Type.DELETED) {
                    proxies.update(service, List.of(), TrafficSplit.EQUAL);
                } else {
                    proxies.update(service, endpoints((Endpoints) e.object()), split((Endpoints) e.object()));
                }
            }
        }
    }

    private void ensure(Service s) {
        ObjectKey key = ObjectKey.of(s);
        if ("None".equals(s.getSpec().getClusterIP()) || proxies.get(key).isPresent() || !starting.add(key)) {
            return;
        }
        ServicePort sp = s.getSpec().getPorts().get(0);
        int port = localPort(s);
        ServiceProxyConfig config = http(sp) ? ServiceProxyConfig.http(key, port) : ServiceProxyConfig.tcp(key, port);
        proxies.create(config).onComplete(result -> {
            starting.remove(key);
            reserved.remove(port);
            if (result.failed()) {
                LOG.errorf(result.cause(), "no listener for %s on 127.0.0.1:%d", key, port);
                return;
            }
            int bound = result.result().port();
            LOG.infof("service %s listening on 127.0.0.1:%d (%s)", key, bound, config.mode());
            store.<Endpoints>get(new ObjectKey(ResourceKind.ENDPOINTS, key.namespace(), key.name()))
                    .ifPresent(ep -> proxies.update(key, endpoints(ep), split(ep)));
            try {
                store.<Service>mutate(key, svc -> {
                    svc.getMetadata().getAnnotations().put(LOCAL_PORT_ANNOTATION, Integer.toString(bound));
                    return svc;
                });
            } catch (StoreException gone) {
                proxies.remove(key);
            }
        });
    }

    static boolean http(ServicePort sp) {
        if (sp.getAppProtocol() != null) {
            return sp.getAppProtocol().toLowerCase(java.util.Locale.ROOT).startsWith("http");
        }
        int target = sp.getTargetPort() != null && sp.getTargetPort().getIntVal() != null ? sp.getTargetPort().getIntVal() : sp.getPort();
        if (target == 5432 || sp.getPort() == 5432) {
            return false;
        }
        return sp.getName() == null || sp.getName().toLowerCase(java.util.Locale.ROOT).startsWith("http") || sp.getPort() == 80 || sp.getPort() == 8080;
    }

    /** Picks the port for a new listener and reserves it until the listener is bound. */
    private synchronized int localPort(Service s) {
        int port = choosePort(s);
        if (port > 0) {
            reserved.add(port);
        }
        return port;
    }

    private int choosePort(Service s) {
        ObjectKey key = ObjectKey.of(s);
        Integer fixed = fixedPorts.get(key.namespace() + "/" + key.name());
        if (fixed == null) {
            fixed = fixedPorts.get(key.name());
        }
        if (fixed != null) {
            if (!reserved.contains(fixed) && free(fixed)) {
                return fixed;
            }
            LOG.warnf("configured port %d for %s is taken; using one from %d on", fixed, key, rangeStart);
        }
        String previous = s.getMetadata().getAnnotations() == null ? null : s.getMetadata().getAnnotations().get(LOCAL_PORT_ANNOTATION);
        if (previous != null && !reserved.contains(Integer.parseInt(previous)) && free(Integer.parseInt(previous))) {
            return Integer.parseInt(previous);
        }
        Set<Integer> taken = new HashSet<>(reserved);
        proxies.all().forEach(p -> taken.add(p.port()));
        for (int p = rangeStart; p < rangeStart + 2768; p++) {
            if (!taken.contains(p) && free(p)) {
                return p;
            }
        }
        return 0;
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The canary split the EndpointsController wrote ({@code hash=weight,...}), or every endpoint equal. */
    static TrafficSplit split(Endpoints ep) {
        String value = ep.getMetadata().getAnnotations() == null ? null : ep.getMetadata().getAnnotations().get(EndpointsController.TRAFFIC_SPLIT_ANNOTATION);
        if (value == null || value.isBlank()) {
            return TrafficSplit.EQUAL;
        }
        Map<String, Integer> weights = new java.util.LinkedHashMap<>();
        try {
            for (String part : value.split(",")) {
                String[] kv = part.split("=", 2);
                weights.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
            }
            return new TrafficSplit(weights);
        } catch (RuntimeException e) {
            LOG.warnf("ignoring the traffic split '%s' of %s/%s: %s", value, ep.getMetadata().getNamespace(), ep.getMetadata().getName(), e.getMessage());
            return TrafficSplit.EQUAL;
        }
    }

    private List<Endpoint> endpoints(Endpoints ep) {
        List<Endpoint> out = new ArrayList<>();
        for (EndpointSubset subset : ep.getSubsets() == null ? List.<EndpointSubset>of() : ep.getSubsets()) {
            if (subset.getAddresses() == null || subset.getPorts() == null || subset.getPorts().isEmpty()) {
                continue;
            }
            int port = subset.getPorts().get(0).getPort();
            subset.getAddresses().forEach(a -> {
                String pod = a.getTargetRef() == null ? a.getIp() + ":" + port : a.getTargetRef().getName();
                out.add(new Endpoint(pod, a.getIp(), port, revisionOf(ep.getMetadata().getNamespace(), pod)));
            });
        }
        return out;
    }

    private String revisionOf(String namespace, String pod) {
        return store.<Pod>get(new ObjectKey(ResourceKind.POD, namespace, pod))
                .map(p -> p.getMetadata().getLabels() == null ? "" : p.getMetadata().getLabels().getOrDefault(PodTemplates.TEMPLATE_HASH_LABEL, ""))
                .orElse("");
    }

    @Override
    public CompletionStage<Void> drain(Pod pod, Duration timeout) {
        List<Future<Void>> drains = new ArrayList<>();
        for (ServiceProxy proxy : proxies.all()) {
            for (EndpointStatus s : proxy.endpoints()) {
                if (s.endpoint().replica().equals(pod.getMetadata().getName())) {
                    drains.add(proxy.drain(s.endpoint(), timeout));
                }
            }
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Future.join(new ArrayList<>(drains)).onComplete(x -> done.complete(null));
        return done;
    }

    @Override
    public void close() throws Exception {
        if (subscription != null) {
            subscription.close();
        }
        proxies.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
