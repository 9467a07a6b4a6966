package dev.berth.platform.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.platform.api.OpenStreams;
import dev.berth.platform.api.auth.TokenFile;
import dev.berth.platform.engine.LocalEngine;
import dev.berth.platform.engine.EngineException;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.ObjectStore.Stored;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.apiserver.discovery.ServedDocument;
import dev.berth.platform.apiserver.patch.PatchException;
import dev.berth.platform.apiserver.patch.PatchType;
import dev.berth.platform.apiserver.patch.Patches;
import dev.berth.platform.apiserver.printing.IncludeObject;
import dev.berth.platform.apiserver.printing.TableOptions;
import dev.berth.platform.apiserver.printing.TablePrinter;
import java.util.function.UnaryOperator;
import dev.berth.platform.apiserver.rbac.Attributes;
import dev.berth.platform.apiserver.rbac.BootstrapPolicy;
import dev.berth.platform.apiserver.rbac.Escalation;
import dev.berth.platform.apiserver.rbac.RbacAuthorizer;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import org.jboss.logging.Logger;

/**
 * One request to the Kubernetes API, from the raw HTTP request to the encoded answer: authenticate the bearer token,
 * read the request info, find the kind, authorize by RBAC ({@link RbacAuthorizer}), then get/list/watch/create/update/patch/delete through
 * {@link ResourceStorage} (subresources by {@link Subresources}), answering objects and lists as kube-apiserver
 * encodes them and every refusal as a {@code metav1.Status}. Runs on a worker thread; thread-safe.
 */
final class ApiHandler implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(ApiHandler.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** kube-apiserver's user for requests without credentials. */
    static final String ANONYMOUS = "system:anonymous";
    private static final java.util.Set<ResourceKind> RBAC_KINDS = java.util.EnumSet.of(ResourceKind.ROLE, ResourceKind.CLUSTER_ROLE,
            ResourceKind.ROLE_BINDING, ResourceKind.CLUSTER_ROLE_BINDING);

    private final ResourceStorage storage;
    private final KubernetesSerialization json;
    private final TokenFile tokens;
    private final Subresources subresources;
    private final WatchStreams watches;
    private final Vertx vertx;
    private final ApiDocuments documents;
    private final TablePrinter tables;
    private final RbacAuthorizer authorizer;
    private final AccessReviews reviews;
    private final Escalation escalation;

    ApiHandler(ResourceStorage storage, WatchCache cache, ObjectStore store, KubernetesSerialization json, TokenFile tokens, LocalEngine engine,
            OpenStreams streams, Vertx vertx, ApiDocuments documents, java.time.Clock clock, RbacAuthorizer authorizer) {
        this.storage = storage;
        this.json = json;
        this.tokens = tokens;
        this.subresources = new Subresources(storage, json, engine, streams, vertx, clock);
        this.watches = new WatchStreams(storage, cache, json, streams, vertx);
        this.vertx = vertx;
        this.documents = documents;
        this.tables = new TablePrinter(clock);
        this.authorizer = authorizer;
        this.reviews = new AccessReviews(authorizer);
        this.escalation = new Escalation(authorizer);
    }

    @Override
    public void handle(RoutingContext ctx) {
        try {
            serve(ctx);
        } catch (ApiException e) {
            send(ctx, e.code(), e.status());
        } catch (EngineException e) {
            send(ctx, e.status(), status(e.status(), e.status() == 429 ? "TooManyRequests" : "BadRequest", e.getMessage()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s %s failed", ctx.request().method(), ctx.request().path());
            ApiException internal = ApiException.internal(e.toString());
            send(ctx, internal.code(), internal.status());
        }
    }

    /**
     * A watch over a WebSocket (what fabric8 and client-go try first): the request is checked as any other, then
     * upgraded, and each event is one text message. Runs on the event loop; the watch starts on a worker.
     */
    void upgrade(RoutingContext ctx) {
        Caller caller;
        RequestInfo info;
        ResourceKind kind;
        try {
            caller = authenticate(ctx);
            info = RequestInfo.of("GET", ctx.request().path(), "true");
            kind = ApiResources.kind(info).filter(k -> info.verb().equals("watch") && info.subresource().isEmpty())
                    .orElseThrow(() -> ApiException.badRequest("only watches are served over WebSockets"));
            authorizer.check(Attributes.of(caller, info));
        } catch (ApiException e) {
            send(ctx, e.code(), e.status());
            return;
        } catch (IllegalArgumentException e) {
            send(ctx, 400, ApiException.badRequest(e.getMessage()).status());
            return;
        }
        MultiMap query = ctx.queryParams();
        Context loop = vertx.getOrCreateContext(); // the connection's event loop: upgrade runs on it
        ctx.request().toWebSocket().onSuccess(socket -> vertx.executeBlocking(() -> {
            WatchSink sink = WatchSink.of(socket, loop);
            try {
                watches.watch(sink, caller, info, kind, query, WatchStreams.Encoding.AS_IS);
            } catch (ApiException e) {
                sink.write(Buffer.buffer("{\"type\":\"ERROR\",\"object\":" + json.asJson(e.status()) + "}"));
                sink.end();
            } catch (EngineException e) {
                sink.write(Buffer.buffer("{\"type\":\"ERROR\",\"object\":" + json.asJson(status(e.status(), "TooManyRequests", e.getMessage())) + "}"));
                sink.end();
            }
            return null;
        }, false)).onFailure(e -> LOG.debugf("a watch WebSocket could not be opened: %s", e.toString()));
    }

    /** The body handler's refusals (413 beyond {@link ApiServer#MAX_BODY_BYTES}) as Status objects. */
    void failure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.response().end();
            return;
        }
        ApiException e = ctx.statusCode() == 413 ? ApiException.tooLarge("limit is " + ApiServer.MAX_BODY_BYTES)
                : ApiException.internal(ctx.failure() == null ? "status " + ctx.statusCode() : ctx.failure().toString());
        send(ctx, e.code(), e.status());
    }

    private void serve(RoutingContext ctx) {
        Caller caller = authenticate(ctx);
        MultiMap query = ctx.queryParams();
        RequestInfo info;
        try {
            info = RequestInfo.of(ctx.request().method().name(), ctx.request().path(), query.get("watch"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (!info.resourceRequest()) {
            authorizer.check(Attributes.of(caller, info));
            document(ctx, documents.discovery(ctx.request().path(), ctx.request().getHeader("Accept"), ctx.request().getHeader("If-None-Match")));
            return;
        }
        if (AccessReviews.serves(info)) {
            review(ctx, caller, info);
            return;
        }
        if (info.group().isEmpty() && info.resource().equals("bindings") && info.name().isEmpty() && !info.namespace().isEmpty()) {
            if (!info.verb().equals("create")) {
                throw ApiException.methodNotSupported(new ApiException.Resource("", "bindings"), info.verb());
            }
            authorizer.check(Attributes.of(caller, info));
            subresources.bindCollection(ctx, info);
            return;
        }
        ResourceKind kind = ApiResources.kind(info).orElseThrow(ApiException::noSuchResource);
        if (!info.subresource().isEmpty() && !ApiResources.hasSubresource(kind, info.subresource())) {
            throw ApiException.noSuchResource();
        }
        if (kind.namespaced() == false && !info.namespace().isEmpty()) {
            throw ApiException.noSuchResource();
        }
        authorizer.check(Attributes.of(caller, info));
        if (!info.subresource().isEmpty() && !info.subresource().equals("status")) {
            subresources.serve(ctx, caller, info, kind, info.verb().equals("patch") ? patch(ctx, io.fabric8.kubernetes.api.model.autoscaling.v1.Scale.class, null) : null);
            return;
        }
        boolean status = info.subresource().equals("status");
        boolean dryRun = query.getAll("dryRun").contains("All");
        Optional<ConvertedKind> conversion = ConvertedKind.of(kind);
        if (conversion.isPresent()) {
            converted(ctx, caller, info, query, status, dryRun, conversion.get());
            return;
        }
        switch (info.verb()) {
            case "get" -> {
                HasMetadata o = storage.get(kind, info.namespace(), info.name());
                send(ctx, 200, wantsTable(ctx) ? tables.table(kind, List.of(o), includeObject(query), o.getMetadata().getResourceVersion(), null) : o);
            }
            case "list" -> list(ctx, info, kind, query);
            case "watch" -> watches.watch(WatchSink.of(ctx.response(), vertx.getOrCreateContext()), caller, info, kind, query, encoding(ctx, kind, query));
            case "create" -> send(ctx, dryRun ? 200 : 201, storage.create(kind, info.namespace(), unescalated(caller, info, validatedBody(ctx, kind)),
                    dryRun, manager(ctx)));
            case "update" -> send(ctx, 200, storage.update(kind, info.namespace(), info.name(), unescalated(caller, info, validatedBody(ctx, kind)),
                    status, dryRun, manager(ctx)));
            case "patch" -> {
                if (!status && ServerSideApply.requested(ctx)) {
                    ResourceStorage.Applied applied = storage.apply(kind, info.namespace(), info.name(), unescalated(caller, info, kind,
                            validatedConfiguration(ctx, kind)), ServerSideApply.manager(ctx), "true".equals(query.get("force")), dryRun);
                    send(ctx, applied.created() && !dryRun ? 201 : 200, applied.object());
                } else {
                    send(ctx, 200, storage.patch(kind, info.namespace(), info.name(), unescalated(caller, info, kind, patch(ctx, kind.type(), kind)),
                            status, dryRun, manager(ctx)));
                }
            }
            case "delete" -> delete(ctx, info, kind);
            case "deletecollection" -> deleteCollection(ctx, info, kind, query);
            default -> throw ApiException.methodNotSupported(ApiResources.resource(kind), info.verb());
        }
    }

    /**
     * A kind served from another's storage (events.k8s.io/v1 Events from core/v1, autoscaling/v1 HorizontalPodAutoscalers
     * from autoscaling/v2), as kube-apiserver serves every version of a resource from its one storage version: each
     * request converted to the stored version, each answer to the served one ({@link ConvertedKind}), so an object
     * written through either version is read through both.
     */
    private void converted(RoutingContext ctx, Caller caller, RequestInfo info, MultiMap query, boolean status, boolean dryRun,
            ConvertedKind conversion) {
        ResourceKind stored = conversion.stored();
        ResourceKind served = conversion.served();
        switch (info.verb()) {
            case "get" -> {
                HasMetadata o = conversion.served(json, storage.get(stored, info.namespace(), info.name()));
                send(ctx, 200, wantsTable(ctx) ? tables.table(served, List.of(o), includeObject(query), o.getMetadata().getResourceVersion(), null) : o);
            }
            case "list" -> {
                ResourceStorage.Page page = storage.list(stored, info.namespace(), query.get("labelSelector"),
                        FieldSelector.parse(stored, query.get("fieldSelector")), limit(query), query.get("continue"));
                List<HasMetadata> items = page.items().stream().map(o -> conversion.served(json, o)).toList();
                list(ctx, served, new ResourceStorage.Page(items, page.resourceVersion(), page.continueToken(), page.remainingItemCount()), query);
            }
            case "watch" -> {
                WatchStreams.Encoding encoding = encoding(ctx, served, query);
                watches.watch(WatchSink.of(ctx.response(), vertx.getOrCreateContext()), caller, info, stored, query,
                        (o, first) -> encoding.encode(conversion.served(json, o), first));
            }
            case "create" -> send(ctx, dryRun ? 200 : 201, conversion.served(json,
                    storage.create(stored, info.namespace(), conversion.stored(json, validatedBody(ctx, served)), dryRun, manager(ctx)).object()));
            case "update" -> send(ctx, 200, conversion.served(json, storage.update(stored, info.namespace(), info.name(),
                    conversion.stored(json, validatedBody(ctx, served)), status, dryRun, manager(ctx)).object()));
            case "patch" -> {
                if (!status && conversion.configurationToStored() != null && ServerSideApply.requested(ctx)) {
                    ResourceStorage.Applied applied = storage.apply(stored, info.namespace(), info.name(),
                            conversion.configuration(validatedConfiguration(ctx, served)), ServerSideApply.manager(ctx),
                            "true".equals(query.get("force")), dryRun);
                    send(ctx, applied.created() && !dryRun ? 201 : 200, conversion.served(json, applied.object().object()));
                } else {
                    send(ctx, 200, conversion.served(json, storage.patch(stored, info.namespace(), info.name(),
                            conversion.patch(patch(ctx, served.type(), served)), status, dryRun, manager(ctx)).object()));
                }
            }
            case "delete" -> delete(ctx, info, stored);
            case "deletecollection" -> deleteCollection(ctx, info, stored, query);
            default -> throw ApiException.methodNotSupported(ApiResources.resource(served), info.verb());
        }
    }

    /** {@code object}, once {@link Escalation} found that writing it grants the caller nothing it does not hold. */
    private HasMetadata unescalated(Caller caller, RequestInfo info, HasMetadata object) {
        escalation.check(caller, object, info.namespace());
        return object;
    }

    /** A server-side apply's configuration, checked by {@link Escalation} for the rules it names. */
    private com.fasterxml.jackson.databind.node.ObjectNode unescalated(Caller caller, RequestInfo info, ResourceKind kind,
            com.fasterxml.jackson.databind.node.ObjectNode configuration) {
        if (RBAC_KINDS.contains(kind)) {
            escalation.check(caller, json.convertValue(configuration, kind.type()), info.namespace());
        }
        return configuration;
    }

    /** The patch, checked by {@link Escalation} on the object it makes. */
    private UnaryOperator<JsonNode> unescalated(Caller caller, RequestInfo info, ResourceKind kind, UnaryOperator<JsonNode> patch) {
        if (!RBAC_KINDS.contains(kind)) {
            return patch;
        }
        return current -> {
            JsonNode next = patch.apply(current);
            escalation.check(caller, json.convertValue(next, kind.type()), info.namespace());
            return next;
        };
    }

    /** A self review (create only): authorized as any request, answered from the caller's own RBAC rules. */
    private void review(RoutingContext ctx, Caller caller, RequestInfo info) {
        authorizer.check(Attributes.of(caller, info));
        if (!info.verb().equals("create")) {
            throw ApiException.methodNotSupported(new ApiException.Resource(AccessReviews.GROUP, info.resource()), info.verb());
        }
        String text = ProtobufBodies.text(ctx); // kubectl auth can-i posts protobuf
        try {
            Object answer = info.resource().equals(AccessReviews.ACCESS)
                    ? reviews.access(caller, json.unmarshal(text == null ? "" : text, SelfSubjectAccessReview.class))
                    : reviews.rules(caller, json.unmarshal(text == null ? "" : text, SelfSubjectRulesReview.class));
            send(ctx, 201, answer);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the body cannot be read as a review: " + rootMessage(e));
        }
    }

    /** The bearer token's user, with {@code system:authenticated}; 401 without a known token. */
    private Caller authenticate(RoutingContext ctx) {
        return authenticateOrAnonymous(ctx).filter(c -> !c.name().equals(ANONYMOUS)).orElseThrow(ApiException::unauthorized);
    }

    /**
     * The bearer token's user; without an Authorization header kube-apiserver's anonymous user
     * ({@code system:anonymous} in {@code system:unauthenticated}); a token the core does not know is 401.
     */
    private Optional<Caller> authenticateOrAnonymous(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null) {
            return Optional.of(new Caller(ANONYMOUS, "", List.of(BootstrapPolicy.UNAUTHENTICATED)));
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized();
        }
        return Optional.of(tokens.lookup(header.substring(7).strip()).map(p -> Caller.authenticated(p.name(), p.uid(), p.groups()))
                .orElseThrow(ApiException::unauthorized));
    }

    /**
     * A list, encoded from the JSON the store keeps for each object (no copy, no second encoding): the list's own
     * fields, then the items as stored.
     */
    private void list(RoutingContext ctx, RequestInfo info, ResourceKind kind, MultiMap query) {
        ResourceStorage.StoredPage page = storage.listStored(kind, info.namespace(), query.get("labelSelector"),
                FieldSelector.parse(kind, query.get("fieldSelector")), limit(query), query.get("continue"));
        Map<String, Object> list = listHead(kind, page.resourceVersion(), page.continueToken(), page.remainingItemCount());
        if (wantsTable(ctx)) {
            List<HasMetadata> items = page.items().stream().map(ObjectStore.Stored::object).toList(); // read only: the printer changes nothing
            send(ctx, 200, tables.table(kind, items, includeObject(query), Long.toString(page.resourceVersion()), page.continueToken()));
            return;
        }
        String head = json.asJson(list);
        int size = head.length() + 16;
        for (ObjectStore.Stored o : page.items()) {
            size += o.json().length() + 1;
        }
        StringBuilder body = new StringBuilder(size).append(head, 0, head.length() - 1).append(",\"items\":[");
        for (int i = 0; i < page.items().size(); i++) {
            body.append(i == 0 ? "" : ",").append(page.items().get(i).json());
        }
        body.append("]}");
        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(body.toString());
    }

    /** A list's kind, apiVersion and metadata (its resourceVersion and, when more pages follow, where to continue). */
    private static Map<String, Object> listHead(ResourceKind kind, long resourceVersion, String continueToken, Long remainingItemCount) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("kind", kind.kind() + "List");
        list.put("apiVersion", kind.apiVersion());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("resourceVersion", Long.toString(resourceVersion));
        if (continueToken != null) {
            meta.put("continue", continueToken);
            meta.put("remainingItemCount", remainingItemCount);
        }
        list.put("metadata", meta);
        return list;
    }

    /** A list of objects converted for the kind served (events.k8s.io's Events): encoded object by object. */
    private void list(RoutingContext ctx, ResourceKind kind, ResourceStorage.Page page, MultiMap query) {
        if (wantsTable(ctx)) {
            send(ctx, 200, tables.table(kind, page.items(), includeObject(query), Long.toString(page.resourceVersion()), page.continueToken()));
            return;
        }
        Map<String, Object> list = listHead(kind, page.resourceVersion(), page.continueToken(), page.remainingItemCount());
        list.put("items", new ArrayList<Object>(page.items()));
        send(ctx, 200, list);
    }

    private static long limit(MultiMap query) {
        String limit = query.get("limit");
        if (limit == null || limit.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(limit);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit: invalid value \"" + limit + "\": must be an integer");
        }
    }

    private void delete(RoutingContext ctx, RequestInfo info, ResourceKind kind) {
        DeleteOptions options = deleteOptions(ctx);
        HasMetadata before = storage.get(kind, info.namespace(), info.name());
        Optional<HasMetadata> remaining = storage.delete(kind, info.namespace(), info.name(), options);
        if (remaining.isPresent()) {
            send(ctx, 200, remaining.get());
            return;
        }
        send(ctx, 200, new StatusBuilder().withStatus("Success").withNewDetails().withName(info.name())
                .withGroup(info.group().isEmpty() ? null : info.group()).withKind(info.resource()).withUid(before.getMetadata().getUid())
                .endDetails().build());
    }

    private void deleteCollection(RoutingContext ctx, RequestInfo info, ResourceKind kind, MultiMap query) {
        DeleteOptions options = deleteOptions(ctx);
        ResourceStorage.Page page = storage.list(kind, info.namespace(), query.get("labelSelector"),
                FieldSelector.parse(kind, query.get("fieldSelector")), 0, null);
        List<Object> deleted = new ArrayList<>();
        for (HasMetadata o : page.items()) {
            try {
                deleted.add(storage.delete(kind, o.getMetadata().getNamespace(), o.getMetadata().getName(), options).orElse(o));
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e; // one already gone is what the caller wanted; anything else stops the collection delete
                }
            }
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("kind", kind.kind() + "List");
        list.put("apiVersion", kind.apiVersion());
        list.put("metadata", Map.of("resourceVersion", Long.toString(page.resourceVersion())));
        list.put("items", deleted);
        send(ctx, 200, list);
    }

    private DeleteOptions deleteOptions(RoutingContext ctx) {
        DeleteOptions options = new DeleteOptions();
        String body = ProtobufBodies.text(ctx);
        if (body != null && !body.isEmpty()) {
            try {
                options = json.unmarshal(body, DeleteOptions.class);
            } catch (RuntimeException e) {
                throw ApiException.badRequest("the DeleteOptions in the body cannot be read: " + e.getMessage());
            }
        }
        MultiMap query = ctx.queryParams();
        if (query.contains("gracePeriodSeconds")) {
            try {
                options.setGracePeriodSeconds(Long.parseLong(query.get("gracePeriodSeconds")));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("gracePeriodSeconds: invalid value \"" + query.get("gracePeriodSeconds") + "\"");
            }
        }
        if (query.contains("propagationPolicy")) {
            options.setPropagationPolicy(query.get("propagationPolicy"));
        }
        if (query.getAll("dryRun").contains("All")) {
            options.setDryRun(List.of("All"));
        }
        String policy = options.getPropagationPolicy();
        if (policy != null && !List.of("Orphan", "Background", "Foreground").contains(policy)) {
            throw ApiException.badRequest("propagationPolicy: Unsupported value: \"" + policy + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }
        return options;
    }

    /** The body of a create or update, its unknown and duplicate fields handled as {@code fieldValidation} says. */
    private HasMetadata validatedBody(RoutingContext ctx, ResourceKind kind) {
        FieldValidation validation = FieldValidation.of(ctx.queryParams().get("fieldValidation"));
        HasMetadata object = body(ctx, kind);
        warn(ctx, validation.check(kind, object, ProtobufBodies.text(ctx)));
        return object;
    }

    /**
     * A server-side apply's configuration, its unknown and duplicate fields handled as {@code fieldValidation} says;
     * under Warn and Ignore the unknown fields are dropped (the configuration then goes through its kind's type).
     */
    private com.fasterxml.jackson.databind.node.ObjectNode validatedConfiguration(RoutingContext ctx, ResourceKind kind) {
        FieldValidation validation = FieldValidation.of(ctx.queryParams().get("fieldValidation"));
        com.fasterxml.jackson.databind.node.ObjectNode configuration = ServerSideApply.configuration(ctx);
        HasMetadata typed;
        try {
            typed = json.convertValue(configuration, kind.type());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the configuration cannot be read as a " + kind.kind() + ": " + rootMessage(e));
        }
        boolean unknown = !dev.berth.platform.api.manifest.ManifestValidator.unknownFields(typed, false).isEmpty();
        warn(ctx, validation.check(kind, typed, ctx.body().asString()));
        return unknown ? json.convertValue(typed, com.fasterxml.jackson.databind.node.ObjectNode.class) : configuration;
    }

    private static void warn(RoutingContext ctx, List<String> warnings) {
        warnings.forEach(w -> ctx.response().headers().add("Warning", FieldValidation.warningHeader(w)));
    }

    /** The request body as an object of the route's kind (JSON, YAML, or Kubernetes protobuf as kubectl's typed client sends). */
    HasMetadata body(RoutingContext ctx, ResourceKind kind) {
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType != null && !contentType.contains("json") && !contentType.contains("yaml") && !ProtobufBodies.is(contentType)) {
            throw ApiException.unsupportedMediaType(contentType); // CBOR: client-go falls back to JSON after a 415
        }
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw ApiException.badRequest("the request has no body: an object of kind " + kind.kind() + " is required");
        }
        String text = ProtobufBodies.text(ctx);
        HasMetadata object;
        try {
            object = text.stripLeading().startsWith("{") ? json.unmarshal(text, kind.type()) : yamlObject(text, kind);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the body cannot be read as a " + kind.kind() + ": " + rootMessage(e));
        }
        if (object == null) { // a YAML body of comments only
            throw ApiException.badRequest("the body holds no object: an object of kind " + kind.kind() + " is required");
        }
        return object;
    }

    /** A YAML body, read within the YAML parser's limits ({@link ServerSideApply#yaml}); null when it holds no document. */
    private HasMetadata yamlObject(String text, ResourceKind kind) {
        JsonNode tree = ServerSideApply.yaml(text);
        return tree == null || tree.isNull() || tree.isMissingNode() ? null : json.convertValue(tree, kind.type());
    }

    /**
     * The request's patch as a change of the stored object's JSON, by its Content-Type: JSON patch, JSON merge patch or
     * strategic merge patch. Server-side apply ({@code application/apply-patch+yaml}) is {@link ServerSideApply}'s;
     * on a subresource it is not served: 415. For a {@code kind} (not a subresource's type), the patched object's
     * unknown fields are handled as {@code fieldValidation} says, as are fields the patch names twice.
     */
    private UnaryOperator<JsonNode> patch(RoutingContext ctx, Class<? extends HasMetadata> type, ResourceKind kind) {
        FieldValidation validation = FieldValidation.of(ctx.queryParams().get("fieldValidation"));
        String contentType = ctx.request().getHeader("Content-Type");
        PatchType patchType = PatchType.of(contentType).orElseThrow(() -> ApiException.unsupportedMediaType(contentType));
        Patches patches = documents.patches();
        if (!patches.supports(patchType, type)) {
            throw ApiException.unsupportedMediaType(contentType);
        }
        Buffer body = ctx.body().buffer();
        JsonNode patch;
        try {
            patch = MAPPER.readTree(body == null ? "" : body.toString());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("the patch is not JSON: " + rootMessage(e));
        }
        if (patch == null || patch.isMissingNode()) {
            throw ApiException.badRequest("the request has no patch");
        }
        String rawPatch = patchType == PatchType.JSON ? null : body.toString();
        return current -> {
            JsonNode patched;
            try {
                patched = patches.apply(patchType, current, patch, type);
            } catch (PatchException e) {
                throw ApiException.withCode(e.reason().code(), e.getMessage());
            }
            if (kind == null) {
                return patched;
            }
            HasMetadata object = json.convertValue(patched, kind.type());
            warn(ctx, validation.check(kind, object, rawPatch)); // drops unknown fields unless Strict refuses them
            return json.convertValue(object, JsonNode.class);
        };
    }

    /**
     * The field manager of a write other than apply: the {@code fieldManager} query parameter, else the User-Agent up
     * to its first {@code /} ({@code kubectl}, {@code fabric8-kubernetes-client}), as upstream's {@code managerOrUserAgent}.
     */
    private static String manager(RoutingContext ctx) {
        String manager = ctx.queryParams().get("fieldManager");
        if (manager != null && !manager.isEmpty()) {
            return manager;
        }
        String agent = ctx.request().getHeader("User-Agent");
        return agent == null ? "" : agent.split("/", 2)[0];
    }

    /** {@code Accept: application/json;as=Table;g=meta.k8s.io;v=v1}: kubectl get's server-side printing. */
    static boolean wantsTable(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        if (accept == null) {
            return false;
        }
        for (String clause : accept.split(",")) {
            List<String> params = java.util.Arrays.stream(clause.split(";")).map(String::strip).toList();
            if (params.contains("as=Table") && params.contains("g=meta.k8s.io") && params.contains("v=v1")) {
                return true;
            }
        }
        return false;
    }

    private static IncludeObject includeObject(MultiMap query) {
        try {
            return IncludeObject.parse(query.get("includeObject"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** How watch events carry objects: as they are, or as one-row Tables (column definitions in the first only). */
    private WatchStreams.Encoding encoding(RoutingContext ctx, ResourceKind kind, MultiMap query) {
        if (!wantsTable(ctx)) {
            return WatchStreams.Encoding.AS_IS;
        }
        IncludeObject include = includeObject(query);
        return (o, first) -> {
            var options = TableOptions.of(include);
            return tables.table(kind.apiVersion(), kind.kind(), List.of(o), first ? options : options.withoutHeaders(),
                    new io.fabric8.kubernetes.api.model.ListMetaBuilder().withResourceVersion(o.getMetadata().getResourceVersion()).build());
        };
    }

    /** {@code /version} and {@code /openapi/v3…}: authenticated except {@code /version}, authorized by RBAC's nonResourceURLs. */
    void documents(RoutingContext ctx) {
        try {
            String path = ctx.request().path();
            String accept = ctx.request().getHeader("Accept");
            String etag = ctx.request().getHeader("If-None-Match");
            // /version is public (system:public-info-viewer binds system:unauthenticated); the rest needs a token
            Caller caller = path.startsWith("/openapi") ? authenticate(ctx) : authenticateOrAnonymous(ctx).orElseThrow();
            authorizer.check(Attributes.nonResource(caller, "get", path));
            if (path.startsWith("/openapi")) {
                document(ctx, documents.openApi(path, ctx.queryParams().get("hash"), accept, etag));
            } else {
                document(ctx, documents.discovery(path, accept, etag));
            }
        } catch (ApiException e) {
            send(ctx, e.code(), e.status());
        }
    }

    private void document(RoutingContext ctx, Optional<ServedDocument> document) {
        ServedDocument d = document.orElseThrow(ApiException::noSuchResource);
        ctx.response().setStatusCode(d.status());
        d.headers().forEach(ctx.response()::putHeader);
        ctx.response().end(Buffer.buffer(d.body()));
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.toString() : m.lines().findFirst().orElse(m);
    }

    /** Answers {@code body} as JSON; a {@link Stored} object is answered as it was written, not encoded again. */
    void send(RoutingContext ctx, int code, Object body) {
        if (ctx.response().ended()) {
            return;
        }
        String encoded = body instanceof Stored stored ? stored.json() : json.asJson(body);
        ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(encoded);
    }

    private static Status status(int code, String reason, String message) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build();
    }
}
