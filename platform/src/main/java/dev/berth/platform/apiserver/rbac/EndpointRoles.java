package dev.berth.platform.apiserver.rbac;

import dev.berth.platform.api.auth.Role;
import dev.berth.platform.apiserver.Caller;
import java.util.HashSet;
import java.util.Set;

/**
 * The roles of the core's own {@code /berth/v1} endpoints ({@link Role}), derived from what RBAC allows a caller in
 * every namespace (a ClusterRoleBinding): {@code admin} who may update nodes ({@code cluster-admin}); {@code viewer}
 * who may list deployments ({@code view}, and so {@code edit} and {@code admin}); {@code discovery} who may list pods
 * ({@code berth:prometheus}). Each role brings the lesser ones. Thread-safe.
 */
public final class EndpointRoles {

    private final RbacAuthorizer authorizer;

    public EndpointRoles(RbacAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    public Set<String> of(Caller caller) {
        Set<String> roles = new HashSet<>();
        if (may(caller, "update", "", "nodes")) {
            roles.addAll(Role.ADMIN.grants());
        }
        if (may(caller, "list", "apps", "deployments")) {
            roles.addAll(Role.VIEWER.grants());
        }
        if (may(caller, "list", "", "pods")) {
            roles.addAll(Role.DISCOVERY.grants());
        }
        return roles;
    }

    private boolean may(Caller caller, String verb, String group, String resource) {
        return authorizer.authorize(Attributes.resource(caller, verb, "", group, resource, "", "")).allowed();
    }
}
