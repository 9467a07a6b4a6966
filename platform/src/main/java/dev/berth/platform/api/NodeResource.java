package dev.berth.platform.api;

import dev.berth.platform.api.auth.Role;
import dev.berth.platform.engine.LocalEngine;
import dev.berth.platform.engine.EngineException;
import dev.berth.platform.engine.NodeAction;
import dev.berth.support.problem.Problem;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;

/** {@code POST /berth/v1/nodes/{name}/{cordon|uncordon|drain|fail|recover}}: operating virtual nodes (admin). */
@Path("/berth/v1")
@Produces(MediaType.APPLICATION_JSON)
public class NodeResource {

    private final LocalEngine engine;
    private final KubernetesSerialization json;

    public NodeResource(LocalEngine engine, KubernetesSerialization json) {
        this.engine = engine;
        this.json = json;
    }

    @POST
    @Path("nodes/{name}/{action}")
    @RolesAllowed(Role.Names.ADMIN)
    public Response act(@PathParam("name") String name, @PathParam("action") String action) {
        NodeAction a;
        try {
            a = NodeAction.valueOf(action.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new EngineException(404, "unknown node action '" + action + "'",
                    List.of(new Problem.FieldError("action", "must be cordon, uncordon, drain, fail or recover")));
        }
        return Json.object(json, engine.node(name, a));
    }
}
