package dev.berth.platform.runtime;

import dev.berth.platform.model.Owners;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The kubelet's counters at {@code /q/metrics}: {@code berth_container_restarts_total} and
 * {@code berth_probe_failures_total{probe}}, both by namespace and workload (the Deployment or StatefulSet).
 */
public final class KubeletMetrics {

    private final MeterRegistry registry;

    public KubeletMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void restarted(Pod pod) {
        Counter.builder("berth.container.restarts").description("Container restarts by workload")
                .tag("namespace", pod.getMetadata().getNamespace()).tag("workload", workload(pod)).register(registry).increment();
    }

    void probeFailed(Pod pod, String probe) {
        Counter.builder("berth.probe.failures").description("Probe failures that changed a container's state, by probe")
                .tag("namespace", pod.getMetadata().getNamespace()).tag("workload", workload(pod)).tag("probe", probe)
                .register(registry).increment();
    }

    /** The Deployment (through its ReplicaSet's name) or StatefulSet a pod belongs to; the pod itself otherwise. */
    static String workload(Pod pod) {
        return Owners.controllerOf(pod).map(ref -> {
            if (ref.getKind().equals("ReplicaSet")) {
                int dash = ref.getName().lastIndexOf('-');
                return dash > 0 ? ref.getName().substring(0, dash) : ref.getName();
            }
            return ref.getName();
        }).orElse(pod.getMetadata().getName());
    }
}
