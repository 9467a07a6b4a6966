package dev.berth.platform.controller;

import dev.berth.platform.model.Finalizers;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.StoreException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes objects whose controlling owner is gone (cascading deletion in the background, as Kubernetes' garbage
 * collector does): a deleted Deployment takes its ReplicaSets, they take their pods (gracefully), a deleted
 * Service its Endpoints. An owner deleted with {@code propagationPolicy=Foreground} stays, marked, until its
 * dependents — deleted in the foreground in turn — are gone. Keyed by the object; a sweep at start catches what
 * happened while the core was down.
 */
public final class GarbageCollector implements Reconciler {

    static final List<ResourceKind> DEPENDENT_KINDS = List.of(ResourceKind.REPLICASET, ResourceKind.POD, ResourceKind.ENDPOINTS,
            ResourceKind.CONTROLLER_REVISION, ResourceKind.PERSISTENT_VOLUME_CLAIM);
    private static final List<ResourceKind> OWNER_KINDS = List.of(ResourceKind.DEPLOYMENT, ResourceKind.REPLICASET,
            ResourceKind.STATEFULSET, ResourceKind.SERVICE);

    /** How soon an owner deleted in the foreground is looked at again while dependents remain. */
    static final Duration FOREGROUND_RECHECK = Duration.ofSeconds(1);

    private final ObjectStore store;
    private final PodTermination termination;
    private final Clock clock;

    public GarbageCollector(ObjectStore store, PodTermination termination, Clock clock) {
        this.store = store;
        this.termination = termination;
        this.clock = clock;
    }

    /**
     * Looks at one object in both of its roles: as an owner deleted in the foreground (its dependents deleted, the
     * same way, and once they are gone its {@code foregroundDeletion} finalizer removed and the object with it), and
     * as a dependent (deleted when its controlling owner is gone, in the foreground when the owner is so deleted).
     */
    @Override
    public ReconcileResult reconcile(ObjectKey key) {
        Optional<HasMetadata> found = store.get(key);
        if (found.isEmpty()) {
            return ReconcileResult.noChange();
        }
        HasMetadata object = found.get();
        if (Finalizers.deleting(object) && Finalizers.has(object, Finalizers.FOREGROUND)) {
            return finishForeground(key, object);
        }
        Optional<OwnerReference> ref = Owners.controllerOf(object);
        if (ref.isEmpty()) {
            return ReconcileResult.noChange();
        }
        OwnerState owner = owner(key.namespace(), ref.get());
        if (owner == OwnerState.PRESENT) {
            return ReconcileResult.noChange();
        }
        return deleteDependent(key, object, owner == OwnerState.DELETED_IN_FOREGROUND) ? ReconcileResult.changedState() : ReconcileResult.noChange();
    }

    private ReconcileResult finishForeground(ObjectKey key, HasMetadata owner) {
        Set<ObjectKey> dependents = dependentsOf(owner);
        if (!dependents.isEmpty()) {
            boolean changed = false;
            for (ObjectKey d : dependents) {
                Optional<HasMetadata> dependent = store.get(d);
                if (dependent.isPresent()) {
                    changed |= deleteDependent(d, dependent.get(), true);
                }
            }
            // each dependent's deletion requeues the owner (see ControllerManager); the delay is a backstop
            return (changed ? ReconcileResult.changedState() : ReconcileResult.noChange()).andRequeueAfter(FOREGROUND_RECHECK);
        }
        try {
            HasMetadata stored = store.mutate(key, o -> {
                Finalizers.remove(o, Finalizers.FOREGROUND);
                return o;
            });
            if (Finalizers.finalized(stored)) {
                store.delete(key);
            }
        } catch (StoreException e) {
            if (e.reason() != StoreException.Reason.NOT_FOUND) {
                throw e;
            }
        }
        return ReconcileResult.changedState();
    }

    /** Deletes a dependent: a pod gracefully, anything else at once or, in the foreground, marked for its own dependents. */
    private boolean deleteDependent(ObjectKey key, HasMetadata dependent, boolean foreground) {
        if (Finalizers.deleting(dependent)) {
            return false; // already on its way
        }
        if (dependent instanceof Pod pod) {
            termination.terminate(pod, "garbage-collector");
            return true;
        }
        if (!foreground) {
            store.delete(key);
            return true;
        }
        try {
            store.mutate(key, o -> {
                Finalizers.markDeleting(o, clock.instant());
                Finalizers.add(o, Finalizers.FOREGROUND);
                return o;
            });
        } catch (StoreException e) {
            if (e.reason() != StoreException.Reason.NOT_FOUND) {
                throw e;
            }
            return false; // gone meanwhile
        }
        return true;
    }

    private enum OwnerState { PRESENT, GONE, DELETED_IN_FOREGROUND }

    private OwnerState owner(String namespace, OwnerReference ref) {
        Optional<ResourceKind> kind = ResourceKind.ofKind(ref.getApiVersion(), ref.getKind());
        if (kind.isEmpty()) {
            return OwnerState.PRESENT; // an owner we do not manage: leave the dependent alone
        }
        Optional<HasMetadata> owner = store.<HasMetadata>get(new ObjectKey(kind.get(), namespace, ref.getName()))
                .filter(o -> ref.getUid().equals(o.getMetadata().getUid()));
        if (owner.isEmpty()) {
            return OwnerState.GONE;
        }
        return Finalizers.deleting(owner.get()) && Finalizers.has(owner.get(), Finalizers.FOREGROUND)
                ? OwnerState.DELETED_IN_FOREGROUND : OwnerState.PRESENT;
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
