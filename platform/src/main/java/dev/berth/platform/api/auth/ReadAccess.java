package dev.berth.platform.api.auth;

import dev.berth.platform.engine.EngineException;
import dev.berth.platform.model.ResourceKind;
import dev.berth.support.problem.Problem;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Locale;

/**
 * Which reads of which kind a caller's role allows, on top of the endpoint's {@code @RolesAllowed}: Secrets only for
 * deployers and admins (Kubernetes' {@code view} ClusterRole leaves them out, {@code edit} has them), and a discovery
 * token lists Pods and nothing else. Stateless.
 */
public final class ReadAccess {

    /** The read verbs, as Kubernetes' RBAC names them. */
    public enum Verb {
        GET, LIST, WATCH;

        String rbacName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private ReadAccess() {}

    /** @throws EngineException 403 naming the resource when the caller may not {@code verb} objects of {@code kind} */
    public static void check(SecurityContext caller, Verb verb, ResourceKind kind) {
        String needed = required(verb, kind);
        if (!caller.isUserInRole(needed)) {
            throw new EngineException(403, "this token's role may not " + verb.rbacName() + " " + kind.plural() + " (requires " + needed + ")",
                    List.of(new Problem.FieldError("resource", kind.plural() + " are not readable with this token")));
        }
    }

    /** The least role that may {@code verb} objects of {@code kind}. */
    static String required(Verb verb, ResourceKind kind) {
        if (kind == ResourceKind.SECRET) {
            return Role.Names.DEPLOYER;
        }
        if (kind == ResourceKind.POD && verb == Verb.LIST) {
            return Role.Names.DISCOVERY;
        }
        return Role.Names.VIEWER;
    }
}
