package dev.berth.platform.api;

import dev.berth.platform.api.auth.ReadAccess;
import dev.berth.platform.api.auth.Role;
import dev.berth.platform.api.manifest.ManifestReader;
import dev.berth.platform.api.manifest.ManifestValidator;
import dev.berth.platform.engine.ApplyResult;
import dev.berth.platform.engine.LocalEngine;
import dev.berth.platform.engine.EngineException;
import dev.berth.platform.engine.RolloutAction;
import dev.berth.platform.model.ResourceKind;
import dev.berth.support.problem.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Map;

/**
 * {@code /berth/v1}: apply, get, list, replace, delete and scale, Kubernetes-shaped. Manifests are read and validated
 * here (nothing is written if any document is wrong), then handed to the {@link LocalEngine}, which validates what scale
 * and rollout change with the same rules. Namespaces and names in the URL are checked by {@link RouteNames}.
 */
@Path("/berth/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ObjectResource {

    private final LocalEngine engine;
    private final ManifestReader reader;
    private final ManifestValidator validator;
    private final KubernetesSerialization json;

    public ObjectResource(LocalEngine engine, ManifestReader reader, ManifestValidator validator, KubernetesSerialization json) {
        this.engine = engine;
        this.reader = reader;
        this.validator = validator;
        this.json = json;
    }

    public record ApplyResponse(List<ApplyResult> results, boolean dryRun) {}

    /** kubectl apply: YAML (one or many documents) or JSON (an object or a List). */
    @POST
    @Path("apply")
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    @RolesAllowed(Role.Names.DEPLOYER)
    public ApplyResponse apply(String body, @QueryParam("namespace") String namespace, @QueryParam("dryRun") @DefaultValue("false") boolean dryRun) {
        List<HasMetadata> objects = reader.read(body);
        validator.validate(objects);
        return new ApplyResponse(engine.apply(objects, namespace, dryRun), dryRun);
    }

    /**
     * Objects of one kind: {@code ?namespace=} (all when absent) and {@code ?labelSelector=app=web,tier!=db}. Which
     * kinds a role may read is {@link ReadAccess}'s (a discovery token lists Pods only; Secrets need a deployer).
     */
    @GET
    @Path("{resource}")
    @RolesAllowed(Role.Names.DISCOVERY)
    public Response list(@PathParam("resource") String resource, @QueryParam("namespace") String namespace,
            @QueryParam("labelSelector") String labelSelector, @Context SecurityContext caller) {
        ResourceKind kind = kind(resource);
        ReadAccess.check(caller, ReadAccess.Verb.LIST, kind);
        return Json.list(json, engine.list(kind, emptyToNull(namespace), labelSelector));
    }

    @GET
    @Path("namespaces/{namespace}/{resource}/{name}")
    @RolesAllowed(Role.Names.VIEWER)
    public Response get(@PathParam("namespace") String namespace, @PathParam("resource") String resource, @PathParam("name") String name,
            @Context SecurityContext caller) {
        ResourceKind kind = kind(resource);
        ReadAccess.check(caller, ReadAccess.Verb.GET, kind);
        return Json.object(json, engine.get(kind, namespace, name).orElseThrow(() -> notFound(kind, namespace, name)));
    }

    /** Cluster-scoped objects (nodes). */
    @GET
    @Path("{resource}/{name}")
    @RolesAllowed(Role.Names.VIEWER)
    public Response getClusterScoped(@PathParam("resource") String resource, @PathParam("name") String name, @Context SecurityContext caller) {
        ResourceKind kind = kind(resource);
        ReadAccess.check(caller, ReadAccess.Verb.GET, kind);
        return Json.object(json, engine.get(kind, null, name).orElseThrow(() -> notFound(kind, null, name)));
    }

    /** Replaces an object; {@code metadata.resourceVersion} must be the current one (409 otherwise). */
    @PUT
    @Path("namespaces/{namespace}/{resource}/{name}")
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "text/yaml"})
    @RolesAllowed(Role.Names.DEPLOYER)
    public Response replace(@PathParam("namespace") String namespace, @PathParam("resource") String resource, @PathParam("name") String name,
            String body) {
        List<HasMetadata> objects = reader.read(body);
        if (objects.size() != 1) {
            throw new EngineException(400, "PUT takes exactly one object", List.of(new Problem.FieldError("body", "must hold one object")));
        }
        // validated first: the comparison below needs metadata, which the validator requires
        validator.validate(objects);
        HasMetadata o = objects.get(0);
        if (!name.equals(o.getMetadata().getName()) || kind(resource) != ResourceKind.of(o).orElse(null)
                || (o.getMetadata().getNamespace() != null && !namespace.equals(o.getMetadata().getNamespace()))) {
            throw new EngineException(400, "the body names another object than the URL",
                    List.of(new Problem.FieldError("metadata.name", "must match the URL")));
        }
        o.getMetadata().setNamespace(namespace);
        return Json.object(json, engine.update(o));
    }

    @DELETE
    @Path("namespaces/{namespace}/{resource}/{name}")
    @RolesAllowed(Role.Names.DEPLOYER)
    public Map<String, Object> delete(@PathParam("namespace") String namespace, @PathParam("resource") String resource, @PathParam("name") String name) {
        ResourceKind kind = kind(resource);
        if (!engine.delete(kind, namespace, name)) {
            throw notFound(kind, namespace, name);
        }
        return Map.of("kind", kind.kind(), "namespace", namespace, "name", name, "deleted", true);
    }

    public record ScaleRequest(Integer replicas) {}

    @POST
    @Path("namespaces/{namespace}/{resource}/{name}/scale")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.Names.DEPLOYER)
    public Response scale(@PathParam("namespace") String namespace, @PathParam("resource") String resource, @PathParam("name") String name,
            ScaleRequest request) {
        if (request == null || request.replicas() == null) {
            throw new EngineException(400, "replicas is required", List.of(new Problem.FieldError("replicas", "is required")));
        }
        // the engine validates the scaled object with every write path's rules (spec.replicas within the cap)
        return Json.object(json, engine.scale(kind(resource), namespace, name, request.replicas()));
    }

    /** kubectl rollout pause | resume | restart | undo [--to-revision N] on a Deployment. */
    @POST
    @Path("namespaces/{namespace}/deployments/{name}/rollout/{action}")
    @RolesAllowed(Role.Names.DEPLOYER)
    public Response rollout(@PathParam("namespace") String namespace, @PathParam("name") String name, @PathParam("action") String action,
            @QueryParam("toRevision") @DefaultValue("0") long toRevision) {
        RolloutAction parsed;
        try {
            parsed = RolloutAction.parse(action, toRevision);
        } catch (IllegalArgumentException e) {
            throw new EngineException(404, e.getMessage(), List.of(new Problem.FieldError("action", e.getMessage())));
        }
        return Json.object(json, engine.rollout(namespace, name, parsed));
    }

    static ResourceKind kind(String resource) {
        return ResourceKind.parse(resource).orElseThrow(() -> new EngineException(404, "unknown resource type '" + resource + "'",
                List.of(new Problem.FieldError("resource", "is not a kind the core serves"))));
    }

    static EngineException notFound(ResourceKind kind, String namespace, String name) {
        return new EngineException(404, kind.kind() + " " + (namespace == null ? "" : namespace + "/") + name + " not found");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
