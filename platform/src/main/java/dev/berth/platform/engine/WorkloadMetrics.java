package dev.berth.platform.engine;

import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code berth_workload_replicas_desired} and {@code berth_workload_replicas_ready} per Deployment and StatefulSet
 * (tags namespace, kind, workload); per Deployment {@code berth_deployment_progressing} (1 while its Progressing
 * condition is not False) and {@code berth_deployment_rollout_in_progress} (1 until {@code rollout status} would say
 * it is done) (tags namespace, deployment). Refreshed on every change to a workload or ReplicaSet.
 */
final class WorkloadMetrics {

    private final ObjectStore store;
    private final MultiGauge desired;
    private final MultiGauge ready;
    private final MultiGauge progressing;
    private final MultiGauge rolling;

    WorkloadMetrics(ObjectStore store, MeterRegistry registry) {
        this.store = store;
        this.desired = MultiGauge.builder("berth.workload.replicas.desired").description("Replicas a workload asks for").register(registry);
        this.ready = MultiGauge.builder("berth.workload.replicas.ready").description("Replicas of a workload that are Ready").register(registry);
        this.progressing = MultiGauge.builder("berth.deployment.progressing")
                .description("1 while the Deployment's Progressing condition is not False (0: deadline exceeded or rolled back)").register(registry);
        this.rolling = MultiGauge.builder("berth.deployment.rollout.in.progress")
                .description("1 while a rollout of the Deployment has not completed").register(registry);
    }

    void start() {
        refresh();
        store.watch(k -> k.kind() == ResourceKind.DEPLOYMENT || k.kind() == ResourceKind.STATEFULSET
                || k.kind() == ResourceKind.REPLICASET, e -> refresh());
    }

    private synchronized void refresh() {
        List<MultiGauge.Row<?>> want = new ArrayList<>();
        List<MultiGauge.Row<?>> have = new ArrayList<>();
        List<MultiGauge.Row<?>> progress = new ArrayList<>();
        List<MultiGauge.Row<?>> underway = new ArrayList<>();
        List<ReplicaSet> sets = store.list(ResourceKind.REPLICASET, null, null);
        for (Deployment d : store.<Deployment>list(ResourceKind.DEPLOYMENT, null, null)) {
            Tags deployment = Tags.of("namespace", d.getMetadata().getNamespace(), "deployment", d.getMetadata().getName());
            boolean stalled = d.getStatus() != null && d.getStatus().getConditions() != null && d.getStatus().getConditions().stream()
                    .anyMatch(c -> "Progressing".equals(c.getType()) && "False".equals(c.getStatus()));
            progress.add(MultiGauge.Row.of(deployment, stalled ? 0 : 1));
            boolean done = RolloutStatus.of(d, sets.stream().filter(rs -> Owners.isOwnedBy(rs, d)).toList()).done();
            underway.add(MultiGauge.Row.of(deployment, done ? 0 : 1));
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
        progressing.register(progress, true);
        rolling.register(underway, true);
    }
}
