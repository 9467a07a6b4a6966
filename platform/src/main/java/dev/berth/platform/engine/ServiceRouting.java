package dev.berth.platform.engine;

import dev.berth.platform.controller.AutoscalerController;
import dev.berth.platform.controller.Canary;
import dev.berth.platform.controller.EndpointsController;
import dev.berth.platform.controller.PodTemplates;
import dev.berth.platform.model.Labels;
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
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
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
 * <p>With {@link KernelRoutes} (the kernel path: root and nftables), every Service also gets a virtual address in
 * {@value KernelRoutes#RANGE} (annotation {@code berth.dev/cluster-ip}, the Service's own port) whose connections the
 * kernel sends on, as kube-proxy's nftables mode does: replicas reach the Service there (its
 * {@code *_SERVICE_HOST/PORT}), and so can anything else on this machine. A per-connection (TCP) Service's connections go
 * straight to its Ready endpoints. So do an HTTP Service's, without a byte through the core, unless something needs its
 * requests one by one ({@link #perRequest}: a canary's traffic split, a Deployment it fronts with a canary strategy, an
 * autoscaler on its request rate): then the kernel sends its connections to its user-space proxy (the 127.0.0.1
 * listener), which splits, counts and retries each request. The 127.0.0.1 listener stays for everything else;
 * {@code berth.proxy.kernel-path-http=false} keeps HTTP Services on it alone.
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
    private final boolean kernelHttp;
    /** Services on the kernel path: their virtual address and where the kernel sends their connections. */
    private final Map<ObjectKey, Virtual> virtual = new ConcurrentHashMap<>();
    /** Whether each HTTP Service's kernel rule sends its connections to its proxy now (guarded by {@code virtual}). */
    private final Map<ObjectKey, Boolean> toProxy = new ConcurrentHashMap<>();
    private AutoCloseable subscription;

    /**
     * A Service on the kernel path.
     *
     * @param address   its virtual address and port
     * @param proxyPort where its user-space proxy listens on 127.0.0.1
     * @param http      an HTTP Service: its connections go to the proxy when something needs its requests one by one
     */
    private record Virtual(InetSocketAddress address, int proxyPort, boolean http) {

        /** Where the kernel sends new connections: the Ready endpoints, or the Service's proxy. */
        List<Endpoint> targets(List<Endpoint> ready, boolean toProxy) {
            return http && toProxy ? List.of(new Endpoint(PROXY_ENDPOINT, ServiceProxyConfig.LOOPBACK, proxyPort, "")) : ready;
        }
    }

    /** The replica name of the endpoint that stands for a Service's own proxy in a kernel rule (no pod is named so). */
    static final String PROXY_ENDPOINT = "berth.dev/service-proxy";

    /**
     * @param kernel     the kernel path, or empty for the user-space proxy alone
     * @param kernelHttp whether HTTP Services take the kernel path too (per-connection Services always do with it)
     */
    public ServiceRouting(ObjectStore store, ServiceProxies proxies, Map<String, Integer> fixedPorts, int rangeStart,
                          Optional<KernelRoutes> kernel, boolean kernelHttp) {
        this.store = store;
        this.proxies = proxies;
        this.fixedPorts = fixedPorts;
        this.rangeStart = rangeStart;
        this.kernel = kernel.orElse(null);
        this.kernelHttp = kernelHttp;
    }

    public void start() {
        subscription = store.watch(k -> k.kind() == ResourceKind.SERVICE || k.kind() == ResourceKind.ENDPOINTS
                || (kernel != null && (k.kind() == ResourceKind.DEPLOYMENT || k.kind() == ResourceKind.HORIZONTAL_POD_AUTOSCALER)), this::changed);
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
        Virtual kernelAddress = virtual.get(key);
        if (kernelAddress != null) {
            return Optional.of(kernelAddress.address());
        }
        int port = portOf(s);
        return port < 0 ? Optional.empty() : Optional.of(new InetSocketAddress(ServiceProxyConfig.LOOPBACK, port));
    }

    private void changed(WatchEvent e) {
        if (e.key().kind() == ResourceKind.SERVICE) {
            if (e.type() == WatchEvent.Type.DELETED) {
                proxies.remove(e.key());
                forget(e.key());
            } else {
                ensure((Service) e.object());
            }
        } else if (e.key().kind() == ResourceKind.ENDPOINTS) {
            ObjectKey service = new ObjectKey(ResourceKind.SERVICE, e.key().namespace(), e.key().name());
            if (proxies.get(service).isPresent()) {
                List<Endpoint> ready = e.type() == WatchEvent.Type.DELETED ? List.of() : endpoints((Endpoints) e.object());
                proxies.update(service, ready, e.type() == WatchEvent.Type.DELETED ? TrafficSplit.EQUAL : split((Endpoints) e.object()));
                reroute(service);
            }
        } else {
            // a canary strategy or a request-rate autoscaler came or went: the namespace's HTTP Services may change path
            virtual.keySet().stream().filter(service -> service.namespace().equals(e.key().namespace())).forEach(this::reroute);
        }
    }

    /**
     * Writes a Service's kernel rule from the store as it is now: its Ready endpoints, or its proxy while something
     * needs its requests one by one. Serialised, so an older read never undoes a newer one. Whether it took.
     */
    private boolean reroute(ObjectKey service) {
        synchronized (virtual) {
            Virtual v = virtual.get(service);
            if (v == null) {
                return true;
            }
            Optional<Endpoints> endpoints = store.get(new ObjectKey(ResourceKind.ENDPOINTS, service.namespace(), service.name()));
            List<Endpoint> ready = endpoints.map(this::endpoints).orElse(List.of());
            Optional<String> why = v.http() ? perRequest(service, endpoints) : Optional.empty();
            List<Endpoint> targets = v.targets(ready, why.isPresent());
            boolean done = kernel(() -> kernel.route(service, v.address().getHostString(), v.address().getPort(), targets), service);
            if (done && v.http() && !Boolean.valueOf(why.isPresent()).equals(toProxy.put(service, why.isPresent()))) {
                LOG.infof("service %s: the kernel path sends its connections to %s", service,
                        why.map(w -> "its proxy (" + w + ")").orElse("its Ready endpoints"));
            }
            return done;
        }
    }

    /**
     * Why an HTTP Service's requests must pass its proxy one by one, if they must: a canary's per-request traffic split
     * in force; a Deployment it fronts with a canary strategy (so its stable replicas hold no kept-alive connections
     * when the split starts); an autoscaler scaling a workload it fronts on {@value AutoscalerController#REQUEST_RATE_METRIC},
     * which the proxy counts.
     */
    private Optional<String> perRequest(ObjectKey service, Optional<Endpoints> endpoints) {
        if (endpoints.isPresent() && !split(endpoints.get()).equals(TrafficSplit.EQUAL)) {
            return Optional.of("a canary's traffic split");
        }
        Optional<Service> svc = store.get(service);
        Map<String, String> selector = svc.map(s -> s.getSpec().getSelector()).orElse(null);
        if (selector == null || selector.isEmpty()) {
            return Optional.empty();
        }
        LabelSelector bySelector = new LabelSelector(List.of(), selector);
        List<Deployment> fronted = store.<Deployment>list(ResourceKind.DEPLOYMENT, service.namespace(), null).stream()
                .filter(d -> d.getSpec() != null && d.getSpec().getTemplate() != null && d.getSpec().getTemplate().getMetadata() != null
                        && Labels.matches(bySelector, d.getSpec().getTemplate().getMetadata().getLabels()))
                .toList();
        for (Deployment d : fronted) {
            Map<String, String> annotations = d.getMetadata().getAnnotations();
            if (annotations != null && annotations.containsKey(Canary.STEPS)) {
                return Optional.of("deployment " + d.getMetadata().getName() + " has a canary strategy");
            }
        }
        Set<String> names = new HashSet<>();
        fronted.forEach(d -> names.add(d.getMetadata().getName()));
        for (HorizontalPodAutoscaler hpa : store.<HorizontalPodAutoscaler>list(ResourceKind.HORIZONTAL_POD_AUTOSCALER, service.namespace(), null)) {
            if (hpa.getSpec() == null || hpa.getSpec().getScaleTargetRef() == null || hpa.getSpec().getMetrics() == null
                    || !"Deployment".equals(hpa.getSpec().getScaleTargetRef().getKind()) || !names.contains(hpa.getSpec().getScaleTargetRef().getName())) {
                continue;
            }
            boolean onRequests = hpa.getSpec().getMetrics().stream().anyMatch(m -> m.getPods() != null && m.getPods().getMetric() != null
                    && AutoscalerController.REQUEST_RATE_METRIC.equals(m.getPods().getMetric().getName()));
            if (onRequests) {
                return Optional.of("autoscaler " + hpa.getMetadata().getName() + " counts its requests");
            }
        }
        return Optional.empty();
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
            // the kernel path (see the class comment)
            boolean perRequest = config.mode() == ProxyMode.HTTP;
            Virtual v = kernel != null && (!perRequest || kernelHttp)
                    ? new Virtual(new InetSocketAddress(KernelRoutes.virtualAddress(bound), sp.getPort()), bound, perRequest) : null;
            InetSocketAddress address = v == null ? null : v.address();
            LOG.infof("service %s listening on 127.0.0.1:%d (%s)%s", key, bound, config.mode(),
                    address == null ? "" : "; kernel path at " + address.getHostString() + ":" + address.getPort());
            Optional<Endpoints> endpoints = store.get(new ObjectKey(ResourceKind.ENDPOINTS, key.namespace(), key.name()));
            List<Endpoint> ready = endpoints.map(this::endpoints).orElse(List.of());
            endpoints.ifPresent(ep -> proxies.update(key, ready, split(ep)));
            if (address != null) {
                // published first, so changed() routes every Endpoints change from now on, and the read after it sees any
                // before; serialised with changed(), whose newer endpoints an older read routed after them would undo
                synchronized (virtual) {
                    virtual.put(key, v);
                    if (!reroute(key)) {
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
                forget(key);
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
        exited(pod); // the kernel's part: new connections stop at once, the open ones stay until the replica closes them
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

    /**
     * The kernel path alone (also the first step of {@link #drain}): the proxy retries a request on another endpoint
     * when a connection is refused.
     */
    @Override
    public void exited(Pod pod) {
        if (kernel != null) {
            kernel(() -> kernel.drain(pod.getMetadata().getName()), ObjectKey.of(pod));
        }
    }

    @Override
    public void readyAgain(Pod pod) {
        if (kernel != null) {
            kernel(() -> kernel.undrain(pod.getMetadata().getName()), ObjectKey.of(pod));
        }
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

    private void forget(ObjectKey service) {
        synchronized (virtual) {
            toProxy.remove(service);
            if (virtual.remove(service) != null) {
                kernel(() -> kernel.remove(service), service);
            }
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
