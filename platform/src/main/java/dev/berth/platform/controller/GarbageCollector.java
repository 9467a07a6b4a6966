package dev.berth.platform.controller;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes objects whose controlling owner is gone (cascading deletion in the background, as Kubernetes' garbage
 * collector does): a deleted Deployment takes its ReplicaSets, they take their pods (gracefully), a deleted
 * Service its Endpoints. Keyed by the dependent; a sweep at start catches what happened while the core was down.
 */
public final class GarbageCollector implements Reconciler {

    static final List<ResourceKind> DEPENDENT_KINDS = List.of(ResourceKind.REPLICASET, ResourceKind.POD, ResourceKind.ENDPOINTS,
            ResourceKind.CONTROLLER_REVISION, ResourceKind.PERSISTENT_VOLUME_CLAIM);
    private static final List<ResourceKind> OWNER_KINDS = List.of(ResourceKind.DEPLOYMENT, ResourceKind.REPLICASET,
            ResourceKind.STATEFULSET, ResourceKind.SERVICE);

    private final ObjectStore store;
    private final PodTermination termination;

    public GarbageCollector(ObjectStore store, PodTermination termination) {
        this.store = store;
        this.termination = termination;
    }

    @Override
    public ReconcileResult reconcile(ObjectKey dependentKey) {
        Optional<HasMetadata> dependent = store.get(dependentKey);
        if (dependent.isEmpty()) {
            return ReconcileResult.noChange();
        }
        Optional<OwnerReference> owner = Owners.controllerOf(dependent.get());
        if (owner.isEmpty() || ownerExists(dependentKey.namespace(), owner.get())) {
            return ReconcileResult.noChange();
        }
        if (dependent.get() instanceof Pod pod) {
            termination.terminate(pod, "garbage-collector");
        } else {
            store.delete(dependentKey);
        }
        return ReconcileResult.changedState();
    }

    private boolean ownerExists(String namespace, OwnerReference ref) {
        Optional<ResourceKind> kind = ResourceKind.ofKind(ref.getApiVersion(), ref.getKind());
        if (kind.isEmpty()) {
            return true; // an owner we do not manage: leave the dependent alone
        }
        Optional<HasMetadata> owner = store.get(new ObjectKey(kind.get(), namespace, ref.getName()));
        return owner.isPresent() && ref.getUid().equals(owner.get().getMetadata().getUid());
    }

    /** Dependents of an owner that was just deleted (or of any owner, for the start-up sweep). */
    public Set<ObjectKey> dependentsOf(HasMetadata deletedOwner) {
        Set<ObjectKey> keys = new HashSet<>();
        for (ResourceKind kind : DEPENDENT_KINDS) {
            for (HasMetadata o : store.list(kind, deletedOwner == null ? null : deletedOwner.getMetadata().getNamespace(), null)) {
                if (deletedOwner == null || Owners.isOwnedBy(o, deletedOwner)) {
                    keys.add(ObjectKey.of(o));
                }
            }
        }
        return keys;
    }

    static boolean isOwnerKind(ResourceKind kind) {
        return OWNER_KINDS.contains(kind);
    }
}
