package dev.berth.platform.controller;

import dev.berth.platform.model.Finalizers;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.StoreException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Deletes a terminating Namespace's content, then the Namespace (kube-controller-manager's namespace controller):
 * pods gracefully through the kubelet, objects with finalizers marked deleted for their finalizers' holders, the rest
 * at once; the Namespace goes when nothing is left in it. Keyed by the Namespace; idempotent.
 */
public final class NamespaceController implements Reconciler {

    /** How soon a namespace still holding content (terminating pods, finalizers) is looked at again. */
    static final Duration RECHECK = Duration.ofSeconds(1);

    private final ObjectStore store;
    private final PodTermination termination;
    private final Clock clock;

    public NamespaceController(ObjectStore store, PodTermination termination, Clock clock) {
        this.store = store;
        this.termination = termination;
        this.clock = clock;
    }

    /** The namespaces kube-apiserver keeps in existence. */
    public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    /** Creates the system namespaces missing from the store (kube-apiserver's system namespaces controller). */
    public static void ensureSystemNamespaces(ObjectStore store) {
        for (String name : SYSTEM_NAMESPACES) {
            if (store.get(new ObjectKey(ResourceKind.NAMESPACE, null, name)).isEmpty()) {
                store.create(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
                        .withNewSpec().withFinalizers("kubernetes").endSpec().withNewStatus().withPhase("Active").endStatus().build());
            }
        }
    }

    @Override
    public ReconcileResult reconcile(ObjectKey key) {
        Optional<HasMetadata> found = store.get(key);
        if (found.isEmpty() || !Finalizers.deleting(found.get())) {
            return ReconcileResult.noChange();
        }
        String namespace = key.name();
        List<HasMetadata> content = Arrays.stream(ResourceKind.values()).filter(ResourceKind::namespaced)
                .flatMap(k -> store.<HasMetadata>list(k, namespace, null).stream()).toList();
        if (content.isEmpty()) {
            if (Finalizers.any(found.get())) {
                return ReconcileResult.noChange(); // someone else's finalizer holds it still
            }
            store.delete(key);
            return ReconcileResult.changedState();
        }
        boolean changed = false;
        for (HasMetadata o : content) {
            changed |= delete(o);
        }
        return changed ? ReconcileResult.changedState().andRequeueAfter(RECHECK) : ReconcileResult.requeueAfter(RECHECK);
    }

    private boolean delete(HasMetadata o) {
        if (Finalizers.deleting(o)) {
            return false; // on its way
        }
        if (o instanceof Pod pod) {
            termination.terminate(pod, "namespace-controller");
            return true;
        }
        try {
            if (Finalizers.any(o)) {
                store.mutate(ObjectKey.of(o), d -> {
                    Finalizers.markDeleting(d, clock.instant());
                    return d;
                });
            } else {
                store.delete(ObjectKey.of(o));
            }
        } catch (StoreException e) {
            if (e.reason() != StoreException.Reason.NOT_FOUND) {
                throw e;
            }
            return false; // deleted meanwhile
        }
        return true;
    }
}
