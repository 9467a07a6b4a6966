package dev.berth.platform.controller;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.StoreException;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;

/**
 * Upstream's serviceaccounts controller ({@code pkg/controller/serviceaccount/serviceaccounts_controller.go}): every
 * namespace has a ServiceAccount {@value #DEFAULT}, re-created if deleted. The {@code default} namespace counts even
 * without a Namespace object (the core serves it implicitly). There is no token controller: the core authenticates
 * by its own token file, so no token Secret is created and {@code secrets} stays empty, as on Kubernetes 1.24+.
 * Keys are namespace keys. Idempotent; thread-safe (the store serializes writes).
 */
public final class ServiceAccountController implements Reconciler {

    public static final String DEFAULT = "default";

    private final ObjectStore store;

    public ServiceAccountController(ObjectStore store) {
        this.store = store;
    }

    /** The key this controller is queued with for a namespace. */
    public static ObjectKey namespaceKey(String namespace) {
        return new ObjectKey(ResourceKind.NAMESPACE, null, namespace);
    }

    @Override
    public ReconcileResult reconcile(ObjectKey namespaceKey) {
        String namespace = namespaceKey.name();
        var ns = store.<io.fabric8.kubernetes.api.model.Namespace>get(namespaceKey);
        boolean exists = ns.isPresent() || ObjectKey.DEFAULT_NAMESPACE.equals(namespace);
        if (!exists || ns.map(n -> n.getMetadata().getDeletionTimestamp() != null).orElse(false)) {
            return ReconcileResult.noChange();
        }
        if (store.get(new ObjectKey(ResourceKind.SERVICE_ACCOUNT, namespace, DEFAULT)).isPresent()) {
            return ReconcileResult.noChange();
        }
        ServiceAccount sa = new ServiceAccountBuilder().withNewMetadata().withName(DEFAULT).withNamespace(namespace).endMetadata().build();
        try {
            store.create(sa);
        } catch (StoreException e) {
            if (e.reason() != StoreException.Reason.ALREADY_EXISTS) {
                throw e;
            }
            return ReconcileResult.noChange(); // created by someone else meanwhile: what was wanted
        }
        return ReconcileResult.changedState();
    }
}
