package dev.berth.platform.engine;

import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code berth_workload_replicas_desired} and {@code berth_workload_replicas_ready} per Deployment and StatefulSet
 * (tags namespace, kind, workload), refreshed on every change to one of them.
 */
final class WorkloadMetrics {

    private final ObjectStore store;
    private final MultiGauge desired;
    private final MultiGauge ready;

    WorkloadMetrics(ObjectStore store, MeterRegistry registry) {
        this.store = store;
        this.desired = MultiGauge.builder("berth.workload.replicas.desired").description("Replicas a workload asks for").register(registry);
        this.ready = MultiGauge.builder("berth.workload.replicas.ready").description("Replicas of a workload that are Ready").register(registry);
    }

    void start() {
        refresh();
        store.watch(k -> k.kind() == ResourceKind.DEPLOYMENT || k.kind() == ResourceKind.STATEFULSET, e -> refresh());
    }

    private synchronized void refresh() {
        List<MultiGauge.Row<?>> want = new ArrayList<>();
        List<MultiGauge.Row<?>> have = new ArrayList<>();
        for (Deployment d : store.<Deployment>list(ResourceKind.DEPLOYMENT, null, null)) {
            Tags tags = Tags.of("namespace", d.getMetadata().getNamespace(), "kind", "Deployment", "workload", d.getMetadata().getName());
            want.add(MultiGauge.Row.of(tags, d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas()));
            have.add(MultiGauge.Row.of(tags, d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas()));
        }
        for (StatefulSet s : store.<StatefulSet>list(ResourceKind.STATEFULSET, null, null)) {
            Tags tags = Tags.of("namespace", s.getMetadata().getNamespace(), "kind", "StatefulSet", "workload", s.getMetadata().getName());
            want.add(MultiGauge.Row.of(tags, s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas()));
            have.add(MultiGauge.Row.of(tags, s.getStatus() == null || s.getStatus().getReadyReplicas() == null ? 0 : s.getStatus().getReadyReplicas()));
        }
        desired.register(want, true);
        ready.register(have, true);
    }
}
