package dev.berth.platform.controller;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps each ReplicaSet's pod count: creates missing pods, deletes surplus and finished ones (which are
 * then replaced), reports status. The decision is {@link ReplicaSetPlanner}'s; this class reads state and
 * applies it.
 */
public final class ReplicaSetController implements Reconciler {

    private final ObjectStore store;
    private final PodTermination termination;
    private final EventRecorder events;
    private final KubernetesSerialization json;
    private final Clock clock;

    public ReplicaSetController(ObjectStore store, PodTermination termination, EventRecorder events, KubernetesSerialization json, Clock clock) {
        this.store = store;
        this.termination = termination;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public ReconcileResult reconcile(ObjectKey key) {
        Optional<ReplicaSet> found = store.get(key);
        if (found.isEmpty() || found.get().getMetadata().getDeletionTimestamp() != null) {
            return ReconcileResult.noChange(); // its pods are the garbage collector's
        }
        ReplicaSet rs = found.get();
        List<Pod> owned = ownedPods(store, rs);
        Instant now = clock.instant();
        ReplicaSetPlanner.Plan plan = ReplicaSetPlanner.plan(rs, owned, now);
        boolean changed = false;
        String hash = rs.getMetadata().getLabels() == null ? null : rs.getMetadata().getLabels().get(PodTemplates.TEMPLATE_HASH_LABEL);
        for (int i = 0; i < plan.create(); i++) {
            String name = rs.getMetadata().getName() + "-" + PodTemplates.randomSuffix();
            Pod pod = PodTemplates.newPod(rs.getSpec().getTemplate(), rs, name,
                    hash == null ? Map.of() : Map.of(PodTemplates.TEMPLATE_HASH_LABEL, hash), json);
            store.createShared(pod); // made here for the store alone
            events.normal(rs, "replicaset-controller", "SuccessfulCreate", "Created pod: " + name);
            changed = true;
        }
        for (Pod p : plan.delete()) {
            termination.terminate(p, "replicaset-controller");
            events.normal(rs, "replicaset-controller", "SuccessfulDelete", "Deleted pod: " + p.getMetadata().getName());
            changed = true;
        }
        if (!Objects.equals(rs.getStatus(), plan.status())) {
            store.<ReplicaSet>mutate(key, r -> {
                r.setStatus(plan.status());
                return r;
            });
            changed = true;
        }
        ReconcileResult result = changed ? ReconcileResult.changedState() : ReconcileResult.noChange();
        // availability depends on time (minReadySeconds): look again when a ready pod becomes available
        int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
        if (minReady > 0 && plan.status().getAvailableReplicas() < plan.status().getReadyReplicas()) {
            result = result.andRequeueAfter(Duration.ofSeconds(1));
        }
        return result;
    }

    static List<Pod> ownedPods(ObjectStore store, ReplicaSet rs) {
        return store.<Pod>list(ResourceKind.POD, rs.getMetadata().getNamespace(), rs.getSpec().getSelector()).stream()
                .filter(p -> Owners.isOwnedBy(p, rs))
                .toList();
    }
}
