package dev.berth.platform.apiserver.rbac;

import dev.berth.platform.apiserver.ApiException;
import dev.berth.platform.apiserver.Caller;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * RBAC's escalation prevention, as upstream's role and binding storage ({@code pkg/registry/rbac/role/policybased},
 * {@code rolebinding/policybased}, {@code validation.ConfirmNoEscalation} and {@code policy_comparator.go}
 * {@code Covers}): a user may write a Role or ClusterRole only with permissions it holds (where the role applies) or
 * with the {@code escalate} verb on it, and a binding only to a role whose permissions it holds or with the
 * {@code bind} verb on that role. Members of {@code system:masters} may do anything. Thread-safe.
 */
public final class Escalation {

    private static final String GROUP = "rbac.authorization.k8s.io";
    private static final String MASTERS = "system:masters";

    private final RbacAuthorizer authorizer;

    public Escalation(RbacAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    /**
     * @param namespace the request's namespace (the object's may be unset in the body)
     * @throws ApiException 403 when writing {@code object} would grant {@code user} permissions it does not hold
     */
    public void check(Caller user, HasMetadata object, String namespace) {
        if (user.groups().contains(MASTERS)) {
            return;
        }
        // a body without metadata is the storage's to refuse (422 naming metadata.name), not a failure here
        String name = object.getMetadata() == null || object.getMetadata().getName() == null ? "" : object.getMetadata().getName();
        if (object instanceof Role r) {
            role(user, "roles", namespace, name, r.getRules());
        } else if (object instanceof ClusterRole r) {
            role(user, "clusterroles", "", name, r.getRules());
        } else if (object instanceof RoleBinding b) {
            binding(user, "rolebindings", namespace, name, b.getRoleRef());
        } else if (object instanceof ClusterRoleBinding b) {
            binding(user, "clusterrolebindings", "", name, b.getRoleRef());
        }
    }

    private void role(Caller user, String resource, String namespace, String name, List<PolicyRule> rules) {
        if (allowed(user, "escalate", namespace, resource, name)) {
            return;
        }
        confirmNoEscalation(user, resource, namespace, name, rules == null ? List.of() : rules);
    }

    private void binding(Caller user, String resource, String namespace, String name, RoleRef ref) {
        if (ref == null) {
            return; // refused by validation
        }
        String roleResource = "ClusterRole".equals(ref.getKind()) ? "clusterroles" : "roles";
        // a RoleBinding's bind check is in its namespace, also for a ClusterRole (upstream's BindingAuthorized)
        if (allowed(user, "bind", namespace, roleResource, String.valueOf(ref.getName()))) {
            return;
        }
        Optional<List<PolicyRule>> rules = authorizer.roleRefRules(ref, namespace);
        if (rules.isEmpty()) {
            throw forbidden(resource, name, "user \"" + user.name() + "\" cannot bind " + ref.getKind() + " \"" + ref.getName()
                    + "\": it cannot be found");
        }
        confirmNoEscalation(user, resource, namespace, name, rules.get());
    }

    private void confirmNoEscalation(Caller user, String resource, String namespace, String name, List<PolicyRule> rules) {
        List<PolicyRule> held = authorizer.rulesFor(user, namespace).rules();
        List<PolicyRule> missing = PolicyCoverage.uncovered(held, rules);
        if (!missing.isEmpty()) {
            String groups = user.groups().stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(" ", "[", "]"));
            throw forbidden(resource, name, "user \"" + user.name() + "\" (groups=" + groups + ") is attempting to grant RBAC permissions "
                    + "not currently held:\n" + missing.stream().map(PolicyCoverage::compact).collect(Collectors.joining("\n")));
        }
    }

    private boolean allowed(Caller user, String verb, String namespace, String resource, String name) {
        return authorizer.authorize(Attributes.resource(user, verb, namespace, GROUP, resource, "", name)).allowed();
    }

    private static ApiException forbidden(String resource, String name, String why) {
        return ApiException.forbidden(new ApiException.Resource(GROUP, resource), name, why);
    }
}
