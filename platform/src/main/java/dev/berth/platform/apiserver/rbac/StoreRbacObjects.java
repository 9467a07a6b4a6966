package dev.berth.platform.apiserver.rbac;

import dev.berth.platform.model.InvalidObjectKeyException;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Optional;

/**
 * The RBAC objects in the core's store, read at each decision (a change applies to the next request). Thread-safe.
 * The objects handed out are the store's own, shared and not copied (every API request is authorized, and copying
 * every ClusterRoleBinding for each was a measurable share of a request): the authorizer only reads them, as
 * upstream's listers share their informers' caches.
 */
public final class StoreRbacObjects implements RbacObjects {

    private final ObjectStore store;

    public StoreRbacObjects(ObjectStore store) {
        this.store = store;
    }

    @Override
    public Optional<Role> role(String namespace, String name) {
        return get(ResourceKind.ROLE, namespace, name);
    }

    @Override
    public Optional<ClusterRole> clusterRole(String name) {
        return get(ResourceKind.CLUSTER_ROLE, "", name);
    }

    @Override
    public List<RoleBinding> roleBindings(String namespace) {
        return shared(ResourceKind.ROLE_BINDING, namespace);
    }

    @Override
    public List<ClusterRoleBinding> clusterRoleBindings() {
        return shared(ResourceKind.CLUSTER_ROLE_BINDING, null);
    }

    @SuppressWarnings("unchecked")
    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> List<T> shared(ResourceKind kind, String namespace) {
        return store.listStored(kind, namespace, null).stream().map(o -> (T) o.object()).toList();
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> Optional<T> get(ResourceKind kind, String namespace, String name) {
        try {
            return store.getShared(new ObjectKey(kind, namespace, name));
        } catch (InvalidObjectKeyException e) {
            return Optional.empty(); // a roleRef naming what no object can be called resolves to nothing, as a missing one
        }
    }
}
