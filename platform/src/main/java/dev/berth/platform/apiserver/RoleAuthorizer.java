package dev.berth.platform.apiserver;

import dev.berth.platform.api.auth.Role;
import dev.berth.platform.model.ResourceKind;
import java.util.Set;

/**
 * Decides whether a caller may do what a request asks, from the caller's role — the same boundaries as Kubernetes'
 * built-in roles: {@code discovery} lists and watches Pods (what Prometheus' service discovery needs); {@code viewer}
 * reads everything but Secrets ({@code view}); {@code deployer} also reads Secrets and writes namespaced objects
 * and Namespaces ({@code edit}); {@code admin} also writes Nodes ({@code cluster-admin}). Stateless.
 */
public final class RoleAuthorizer {

    private static final Set<String> READ = Set.of("get", "list", "watch");

    private RoleAuthorizer() {}

    /** @throws ApiException 403 worded as kube-apiserver's RBAC denial */
    public static void authorize(Caller caller, RequestInfo info, ResourceKind kind) {
        if (!allowed(caller.role(), info.verb(), kind, info.subresource())) {
            String scope = info.namespace().isEmpty() ? "at the cluster scope" : "in the namespace \"" + info.namespace() + "\"";
            String resource = info.subresource().isEmpty() ? info.resource() : info.resource() + "/" + info.subresource();
            throw ApiException.forbidden(ApiResources.resource(kind), info.name(), "User \"" + caller.name() + "\" cannot " + info.verb()
                    + " resource \"" + resource + "\" in API group \"" + info.group() + "\" " + scope);
        }
    }

    static boolean allowed(Role role, String verb, ResourceKind kind, String subresource) {
        boolean read = READ.contains(verb) || (verb.equals("get") && subresource.equals("log"));
        return switch (role) {
            case ADMIN -> true;
            case DEPLOYER -> read || kind != ResourceKind.NODE;
            case VIEWER -> read && kind != ResourceKind.SECRET;
            case DISCOVERY -> kind == ResourceKind.POD && (verb.equals("list") || verb.equals("watch"));
        };
    }
}
