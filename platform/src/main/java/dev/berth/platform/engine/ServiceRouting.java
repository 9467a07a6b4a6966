package dev.berth.platform.engine;

import dev.berth.platform.controller.EndpointsController;
import dev.berth.platform.controller.PodTemplates;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.proxy.Endpoint;
import dev.berth.platform.proxy.EndpointStatus;
import dev.berth.platform.proxy.KernelRoutes;
import dev.berth.platform.proxy.ProxyMode;
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
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>With {@link KernelRoutes} (the kernel path: root and nftables), a per-connection (TCP) Service also gets a
 * virtual address in {@value KernelRoutes#RANGE} (annotation {@code berth.dev/cluster-ip}) whose connections the
 * kernel sends straight to the Ready endpoints: replicas reach the Service there (its {@code *_SERVICE_HOST/PORT}),
 * without a byte through the core; the 127.0.0.1 listener stays for everything else. Per-request (HTTP) Services keep
 * the user-space proxy: their retries, metrics and canary split are per request.
 */
public final class ServiceRouting implements TrafficDrain, AutoCloseable {

    public static final String LOCAL_PORT_ANNOTATION = "berth.dev/local-port";
    public static final String CLUSTER_IP_ANNOTATION = "berth.dev/cluster-ip";
    private static final Logger LOG = Logger.getLogger(ServiceRouting.class);

    private final ObjectStore store;
    private final ServiceProxies proxies;
    private final Map<String, Integer> fixedPorts;
    private final int rangeStart;
    private final Set<ObjectKey> starting = ConcurrentHashMap.newKeySet();
    /** Ports handed out to listeners that are still binding, so two Services never get the same one. */
    private final Set<Integer> reserved = ConcurrentHashMap.newKeySet();
    private final KernelRoutes kernel; // null: user space only
    /** Services on the kernel path: their virtual address and port. */
    private final Map<ObjectKey, InetSocketAddress> virtual = new ConcurrentHashMap<>();
    private AutoCloseable subscription;

    /** @param kernel the kernel path for per-connection Services, or empty for the user-space proxy alone */
    public ServiceRouting(ObjectStore store, ServiceProxies proxies, Map<String, Integer> fixedPorts, int rangeStart,
                          Optional<KernelRoutes> kernel) {
        this.store = store;
        this.proxies = proxies;
        this.fixedPorts = fixedPorts;
        this.rangeStart = rangeStart;
        this.kernel = kernel.orElse(null);
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

    /**
     * Where replicas reach a Service: its virtual address and port on the kernel path, else its listener on
     * 127.0.0.1; empty while it has neither (yet).
     */
    public Optional<InetSocketAddress> addressOf(Service s) {
        ObjectKey key = ObjectKey.of(s);
        InetSocketAddress kernelAddress = virtual.get(key);
        if (kernelAddress != null) {
            return Optional.of(kernelAddress);
        }
        int port = portOf(s);
        return port < 0 ? Optional.empty() : Optional.of(new InetSocketAddress(ServiceProxyConfig.LOOPBACK, port));
    }

    private void changed(WatchEvent e) {
        if (e.key().kind() == ResourceKind.SERVICE) {
            if (e.type() == WatchEvent.Type.DELETED) {
                proxies.remove(e.key());
                if (virtual.remove(e.key()) != null) {
                    kernel(() -> kernel.remove(e.key()), e.key());
                }
            } else {
                ensure((Service) e.object());
            }
        } else {
            ObjectKey service = new ObjectKey(ResourceKind.SERVICE, e.key().namespace(), e.key().name());
            if (proxies.get(service).isPresent()) {
                List<Endpoint> ready = e.type() == WatchEvent.Type.DELETED ? List.of() : endpoints((Endpoints) e.object());
                proxies.update(service, ready, e.type() == WatchEvent.Type.DELETED ? TrafficSplit.EQUAL : split((Endpoints) e.object()));
                synchronized (virtual) {
                    InetSocketAddress address = virtual.get(service);
                    if (address != null) {
                        kernel(() -> kernel.route(service, address.getHostString(), address.getPort(), ready), service);
                    }
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
            // the kernel path: per-connection Services only (see the class comment)
            InetSocketAddress address = kernel != null && config.mode() == ProxyMode.TCP
                    ? new InetSocketAddress(KernelRoutes.virtualAddress(bound), sp.getPort()) : null;
            LOG.infof("service %s listening on 127.0.0.1:%d (%s)%s", key, bound, config.mode(),
                    address == null ? "" : "; kernel path at " + address.getHostString() + ":" + address.getPort());
            Optional<Endpoints> endpoints = store.get(new ObjectKey(ResourceKind.ENDPOINTS, key.namespace(), key.name()));
            List<Endpoint> ready = endpoints.map(this::endpoints).orElse(List.of());
            endpoints.ifPresent(ep -> proxies.update(key, ready, split(ep)));
            if (address != null) {
                // published first, so changed() routes every Endpoints change from now on, and the read after it sees any
                // before; serialised with changed(), whose newer endpoints an older read routed after them would undo
                synchronized (virtual) {
                    virtual.put(key, address);
                    List<Endpoint> now = store.<Endpoints>get(new ObjectKey(ResourceKind.ENDPOINTS, key.namespace(), key.name()))
                            .map(this::endpoints).orElse(List.of());
                    if (!kernel(() -> kernel.route(key, address.getHostString(), address.getPort(), now), key)) {
                        virtual.remove(key);
                    }
                }
            }
            try {
                store.<Service>mutate(key, svc -> {
                    svc.getMetadata().getAnnotations().put(LOCAL_PORT_ANNOTATION, Integer.toString(bound));
                    if (virtual.containsKey(key)) {
                        svc.getMetadata().getAnnotations().put(CLUSTER_IP_ANNOTATION, address.getHostString());
                    } else {
                        svc.getMetadata().getAnnotations().remove(CLUSTER_IP_ANNOTATION);
                    }
                    return svc;
                });
            } catch (StoreException gone) {
                proxies.remove(key);
                if (virtual.remove(key) != null) {
                    kernel(() -> kernel.remove(key), key);
                }
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
        if (kernel != null) {
            // new connections stop at once; the kernel keeps the open ones until the replica closes them
            kernel(() -> kernel.drain(pod.getMetadata().getName()), ObjectKey.of(pod));
        }
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
        if (kernel != null) {
            kernel.close();
        }
    }

    /** A change of the kernel's rules that nft refused (logged; the rules before it stay): whether it was applied. */
    private boolean kernel(KernelChange change, ObjectKey about) {
        try {
            change.apply();
            return true;
        } catch (IOException e) {
            LOG.errorf("kernel path: could not update the rules for %s: %s", about, e.getMessage());
            return false;
        }
    }

    @FunctionalInterface
    private interface KernelChange {
        void apply() throws IOException;
    }
}
