package dev.berth.platform.apiserver.rbac;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Optional;

/** Where the authorizer reads roles and bindings from: upstream's RoleGetter, RoleBindingLister and their cluster twins. */
public interface RbacObjects {

    Optional<Role> role(String namespace, String name);

    Optional<ClusterRole> clusterRole(String name);

    List<RoleBinding> roleBindings(String namespace);

    List<ClusterRoleBinding> clusterRoleBindings();
}
