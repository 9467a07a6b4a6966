package dev.berth.platform.engine;

import dev.berth.platform.controller.PodUsage;
import dev.berth.platform.model.Labels;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.proxy.RequestStats;
import dev.berth.platform.proxy.ServiceProxies;
import dev.berth.platform.runtime.ProcessCpu;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local engine's {@link PodUsage}: CPU from the replica processes ({@link ProcessCpu}), request rates from the
 * Service proxies' counters of the Services whose selector matches the pods. Thread-safe.
 */
public final class LocalUsage implements PodUsage {

    private record Sample(long requests, long nanos) {}

    private final ObjectStore store;
    private final ServiceProxies proxies;
    private final ProcessCpu cpu = new ProcessCpu();
    private final Map<String, Sample> last = new ConcurrentHashMap<>();

    public LocalUsage(ObjectStore store, ServiceProxies proxies) {
        this.store = store;
        this.proxies = proxies;
    }

    @Override
    public OptionalDouble cpuCores(Pod pod) {
        return cpu.cores(pod);
    }

    @Override
    public OptionalDouble requestRate(String subject, List<Pod> pods) {
        if (pods.isEmpty()) {
            return OptionalDouble.empty();
        }
        String namespace = pods.get(0).getMetadata().getNamespace();
        long requests = 0;
        for (Service s : store.<Service>list(ResourceKind.SERVICE, namespace, null)) {
            Map<String, String> selector = s.getSpec().getSelector();
            boolean fronts = selector != null && !selector.isEmpty()
                    && pods.stream().anyMatch(p -> Labels.matches(new LabelSelector(List.of(), selector), p.getMetadata().getLabels()));
            if (fronts) {
                requests += proxies.get(ObjectKey.of(s)).map(proxy -> proxy.requestStats().values().stream().mapToLong(RequestStats::requests).sum())
                        .orElse(0L);
            }
        }
        long now = System.nanoTime();
        Sample previous = last.put(subject, new Sample(requests, now));
        if (previous == null || now <= previous.nanos() || requests < previous.requests()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((requests - previous.requests()) / ((now - previous.nanos()) / 1e9));
    }
}
