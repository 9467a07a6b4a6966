package dev.berth.platform.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.platform.apiserver.apply.ApplyConflictException;
import dev.berth.platform.apiserver.apply.ApplySchema;
import dev.berth.platform.apiserver.apply.FieldManager;
import dev.berth.platform.apiserver.apply.FieldPath;
import dev.berth.platform.apiserver.apply.FieldSet;
import dev.berth.platform.api.manifest.ManifestException;
import dev.berth.platform.api.manifest.ManifestValidator;
import dev.berth.platform.model.Finalizers;
import dev.berth.platform.model.InvalidObjectKeyException;
import dev.berth.platform.model.Labels;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.ObjectStore.Stored;
import dev.berth.platform.store.StoreException;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The generic REST storage behind every kind, as kube-apiserver's {@code registry/generic/registry/store.go}: get,
 * list (label and field selectors, pages), create (generateName, namespace from the URL), update and patch (optimistic
 * concurrency, the main resource and the status subresource each changing only their part), delete (graceful for
 * Pods, orphaning dependents when asked) — each write validated by the same rules as every other write path, inside
 * the store's write, so a refused request changes nothing. What differs per kind is {@link KindStrategy}'s.
 * Every write by a named manager records its fields in {@code metadata.managedFields} ({@link FieldManager}), and
 * {@link #apply} is server-side apply. Thread-safe.
 */
public final class ResourceStorage {

    /** Upstream's alphabet for generated name suffixes: no vowels, no look-alikes. */
    private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    /** A main resource's write never changes {@code status}: nobody comes to own it through one. */
    private static final FieldSet MAIN_IGNORES = FieldSet.of(FieldPath.of("status"));
    private static final FieldSet NOTHING = new FieldSet();

    private final ObjectStore store;
    private final KubernetesSerialization json;
    private final ManifestValidator validator;
    private final GracefulDeletion termination;
    private final KindStrategy strategy;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private final FieldManager fields = new FieldManager(ApplySchema.kubernetes(), clock);

    public ResourceStorage(ObjectStore store, KubernetesSerialization json, ManifestValidator validator, GracefulDeletion termination) {
        this.store = store;
        this.json = json;
        this.validator = validator;
        this.termination = termination;
        this.strategy = new KindStrategy(json);
    }

    /** One page of a list; {@code continueToken} null on the last. */
    public record Page(List<HasMetadata> items, long resourceVersion, String continueToken, Long remainingItemCount) {}

    /** One page of a list as the store holds it: shared objects with their JSON, never to be changed (see {@link ObjectStore.Stored}). */
    record StoredPage(List<ObjectStore.Stored> items, long resourceVersion, String continueToken, Long remainingItemCount) {}

    public HasMetadata get(ResourceKind kind, String namespace, String name) {
        return store.<HasMetadata>get(key(kind, namespace, name)).orElseThrow(() -> ApiException.notFound(ApiResources.resource(kind), name));
    }

    /**
     * @param namespace empty for all namespaces
     * @param limit     0 for no limit
     * @param after     the continue token of the previous page, or null
     */
    public Page list(ResourceKind kind, String namespace, String labelSelector, FieldSelector fields, long limit, String after) {
        StoredPage page = listStored(kind, namespace, labelSelector, fields, limit, after);
        List<HasMetadata> items = new ArrayList<>(page.items().size());
        for (ObjectStore.Stored o : page.items()) {
            items.add(store.copy(o));
        }
        return new Page(items, page.resourceVersion(), page.continueToken(), page.remainingItemCount());
    }

    /** {@link #list} without copies, for encoding the answer: the items must not be changed. */
    StoredPage listStored(ResourceKind kind, String namespace, String labelSelector, FieldSelector fields, long limit, String after) {
        LabelSelector labels = labels(labelSelector);
        ContinueToken start = after == null || after.isEmpty() ? null : ContinueToken.decode(after);
        long version = start != null ? start.resourceVersion() : store.revision(); // read before the objects: never newer than them
        List<ObjectStore.Stored> all = store.listStored(kind, namespace.isEmpty() ? null : namespace, labels);
        List<ObjectStore.Stored> matching = new ArrayList<>();
        for (ObjectStore.Stored o : all) {
            if (fields.matches(o.object()) && (start == null || start.isBefore(o.object()))) {
                matching.add(o);
            }
        }
        if (limit <= 0 || matching.size() <= limit) {
            return new StoredPage(matching, version, null, null);
        }
        List<ObjectStore.Stored> page = matching.subList(0, (int) limit);
        HasMetadata last = page.get(page.size() - 1).object();
        return new StoredPage(List.copyOf(page), version, ContinueToken.after(version, last).encode(), (long) (matching.size() - limit));
    }

    /** @param manager the field manager recording the write, or null to record nothing */
    public Stored create(ResourceKind kind, String namespace, HasMetadata body, boolean dryRun, String manager) {
        checkKind(kind, body);
        var meta = body.getMetadata();
        if (meta == null) {
            throw invalid(kind, "", "metadata.name", "name or generateName is required");
        }
        if (meta.getResourceVersion() != null && !meta.getResourceVersion().isEmpty()) {
            throw ApiException.badRequest("resourceVersion should not be set on objects to be created");
        }
        if (kind.namespaced()) {
            checkNamespace(namespace, meta.getNamespace());
            meta.setNamespace(namespace);
        } else {
            meta.setNamespace(null);
        }
        if ((meta.getName() == null || meta.getName().isEmpty()) && meta.getGenerateName() != null && !meta.getGenerateName().isEmpty()) {
            meta.setName(generateName(meta.getGenerateName()));
        }
        meta.setDeletionTimestamp(null); // the server's to set, as upstream's BeforeCreate clears them
        meta.setDeletionGracePeriodSeconds(null);
        if (kind.namespaced()) {
            checkNamespaceLifecycle(kind, namespace, meta.getName());
        }
        HasMetadata defaulted = strategy.prepareForCreate(kind, body);
        validate(kind, defaulted); // before its fields are recorded, which needs a well-formed object: a refusal names the field
        HasMetadata prepared = track(kind, null, defaulted, manager, false, null);
        if (dryRun) {
            if (store.get(key(kind, namespace, prepared.getMetadata().getName())).isPresent()) {
                throw ApiException.alreadyExists(ApiResources.resource(kind), prepared.getMetadata().getName());
            }
            return unstored(prepared);
        }
        try {
            return store.createShared(prepared); // made for this request alone: it becomes the store's
        } catch (StoreException e) {
            throw translate(kind, prepared.getMetadata().getName(), e);
        }
    }

    /**
     * The NamespaceLifecycle admission plugin: nothing is created in a namespace that does not exist or is being
     * deleted.
     */
    private void checkNamespaceLifecycle(ResourceKind kind, String namespace, String name) {
        HasMetadata ns = store.<HasMetadata>get(key(ResourceKind.NAMESPACE, "", namespace))
                .orElseThrow(() -> ApiException.notFound(ApiResources.resource(ResourceKind.NAMESPACE), namespace));
        if (Finalizers.deleting(ns)) {
            throw ApiException.forbidden(ApiResources.resource(kind), name == null ? "" : name,
                    "unable to create new content in namespace " + namespace + " because it is being terminated");
        }
    }

    /** PUT of the object or its {@code status}: {@code metadata.resourceVersion}, when given, must be the stored one. */
    public Stored update(ResourceKind kind, String namespace, String name, HasMetadata body, boolean status, boolean dryRun,
            String manager) {
        checkKind(kind, body);
        var meta = body.getMetadata();
        if (meta == null || !name.equals(meta.getName())) {
            throw ApiException.badRequest("the name of the object (" + (meta == null ? "" : meta.getName())
                    + ") does not match the name on the URL (" + name + ")");
        }
        if (kind.namespaced()) {
            checkNamespace(namespace, meta.getNamespace());
            meta.setNamespace(namespace);
        }
        String expected = meta.getResourceVersion();
        return write(kind, namespace, name, dryRun, current -> {
            if (expected != null && !expected.isEmpty() && !expected.equals(current.getMetadata().getResourceVersion())) {
                throw ApiException.conflict(ApiResources.resource(kind), name,
                        "the object has been modified; please apply your changes to the latest version and try again");
            }
            return track(kind, current, status ? strategy.prepareForStatusUpdate(kind, body, current)
                    : strategy.prepareForUpdate(kind, body, current), manager, status, null);
        });
    }

    /**
     * PATCH: {@code patch} turns the stored object (as JSON) into the wanted one; it runs inside the store's write, so
     * the patch applies to the current version and no other write comes between.
     */
    public Stored patch(ResourceKind kind, String namespace, String name, UnaryOperator<JsonNode> patch, boolean status, boolean dryRun,
            String manager) {
        return write(kind, namespace, name, dryRun, current -> {
            JsonNode patched = patch.apply(json.convertValue(current, JsonNode.class));
            HasMetadata next = strategy.typed(kind, patched);
            if (next.getMetadata() == null || !name.equals(next.getMetadata().getName())
                    || (kind.namespaced() && !current.getMetadata().getNamespace().equals(next.getMetadata().getNamespace()))) {
                throw ApiException.badRequest("the patch may not change the object's name or namespace");
            }
            String patchedVersion = next.getMetadata().getResourceVersion();
            if (patchedVersion != null && !patchedVersion.equals(current.getMetadata().getResourceVersion())) {
                throw ApiException.conflict(ApiResources.resource(kind), name,
                        "the object has been modified; please apply your changes to the latest version and try again");
            }
            return track(kind, current, status ? strategy.prepareForStatusUpdate(kind, next, current)
                    : strategy.prepareForUpdate(kind, next, current), manager, status, patched.path("metadata").get("managedFields"));
        });
    }

    /**
     * Server-side apply (PATCH {@code application/apply-patch+yaml}): {@code applied} merges into the stored object
     * for {@code manager}, or becomes the object when there is none (apply upserts), inside the store's write and
     * validated as every write. The main resource's {@code status} is not applied.
     *
     * @return the object and whether the apply created it
     * @throws ApiException 409 with one cause per field another manager owns, unless {@code force}
     */
    public Applied apply(ResourceKind kind, String namespace, String name, ObjectNode applied, String manager, boolean force, boolean dryRun) {
        if (!kind.kind().equals(applied.path("kind").asText()) || !kind.apiVersion().equals(applied.path("apiVersion").asText())) {
            throw ApiException.badRequest("the API version in the data (" + applied.path("apiVersion").asText() + ") does not match the expected API version ("
                    + kind.apiVersion() + ")" + (kind.kind().equals(applied.path("kind").asText()) ? "" : ", or the kind ("
                    + applied.path("kind").asText() + ") is not " + kind.kind()));
        }
        String appliedName = applied.path("metadata").path("name").asText();
        if (!name.equals(appliedName)) {
            throw ApiException.badRequest("the name of the object (" + appliedName + ") does not match the name on the URL (" + name + ")");
        }
        if (kind.namespaced()) {
            checkNamespace(namespace, applied.path("metadata").path("namespace").asText(null));
        }
        if (store.get(key(kind, namespace, name)).isEmpty()) {
            try {
                HasMetadata created = strategy.typed(kind, merged(kind, null, applied, manager, force));
                return new Applied(create(kind, namespace, created, dryRun, null), true);
            } catch (ApiException e) {
                if (!"AlreadyExists".equals(e.status().getReason())) {
                    throw e;
                }
                // created meanwhile: apply to it as to any stored object
            }
        }
        return new Applied(write(kind, namespace, name, dryRun, current -> {
            HasMetadata next = strategy.typed(kind, merged(kind, current, applied, manager, force));
            String version = next.getMetadata().getResourceVersion();
            if (version != null && !version.equals(current.getMetadata().getResourceVersion())) {
                throw ApiException.conflict(ApiResources.resource(kind), name,
                        "the object has been modified; please apply your changes to the latest version and try again");
            }
            return strategy.prepareForUpdate(kind, next, current);
        }), false);
    }

    /** What {@link #apply} stored (or would store, on a dry run), and whether it created the object. */
    public record Applied(Stored object, boolean created) {}

    private ObjectNode merged(ResourceKind kind, HasMetadata current, ObjectNode applied, String manager, boolean force) {
        try {
            return fields.apply(current == null ? null : json.convertValue(current, ObjectNode.class), applied, kind.type(), manager, force, MAIN_IGNORES);
        } catch (ApplyConflictException e) {
            throw ApiException.applyConflict(e.getMessage(), e.conflicts().stream()
                    .map(c -> new ApiException.FieldCause("FieldManagerConflict", c.field(), c.message())).toList());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /**
     * {@code next} with the write's fields recorded for {@code manager} (nothing recorded without one).
     *
     * @param requested the managedFields the request's object carried as JSON (an empty list resets them), or null
     */
    private HasMetadata track(ResourceKind kind, HasMetadata current, HasMetadata next, String manager, boolean status, JsonNode requested) {
        if (manager == null) {
            return next;
        }
        ObjectNode tree = json.convertValue(next, ObjectNode.class);
        if (requested != null && requested.isArray() && requested.isEmpty()) {
            tree.with("metadata").set("managedFields", requested);
        }
        ObjectNode live = current == null ? null : json.convertValue(current, ObjectNode.class);
        try {
            return strategy.typed(kind, fields.update(live, tree, kind.type(), manager, status ? "status" : "", status ? NOTHING : MAIN_IGNORES));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** A dry run's answer: what would have been stored, encoded as the store would. */
    private Stored unstored(HasMetadata object) {
        return new Stored(object, json.asJson(object));
    }

    /** A read-modify-write of one object, validated inside the store's write; a dry run computes without writing. */
    Stored write(ResourceKind kind, String namespace, String name, boolean dryRun, UnaryOperator<HasMetadata> change) {
        ObjectKey key = key(kind, namespace, name);
        if (dryRun) {
            HasMetadata current = store.<HasMetadata>get(key).orElseThrow(() -> ApiException.notFound(ApiResources.resource(kind), name));
            return unstored(checked(kind, current, change.apply(current)));
        }
        try {
            Stored stored = store.mutateShared(key, current -> checked(kind, current, change.apply(current)));
            if (Finalizers.finalized(stored.object())) {
                store.delete(key); // the last finalizer of an object being deleted is gone: so is the object
            }
            return stored;
        } catch (StoreException e) {
            throw translate(kind, name, e);
        }
    }

    /** A write's result, validated; the deletion marks stay the server's, and a deleted object gains no finalizer. */
    private HasMetadata checked(ResourceKind kind, HasMetadata current, HasMetadata next) {
        next.getMetadata().setDeletionTimestamp(current.getMetadata().getDeletionTimestamp());
        next.getMetadata().setDeletionGracePeriodSeconds(current.getMetadata().getDeletionGracePeriodSeconds());
        if (Finalizers.deleting(current) && next.getMetadata().getFinalizers() != null) {
            List<String> added = next.getMetadata().getFinalizers().stream()
                    .filter(f -> current.getMetadata().getFinalizers() == null || !current.getMetadata().getFinalizers().contains(f)).toList();
            if (!added.isEmpty()) {
                throw invalid(kind, current.getMetadata().getName(), "metadata.finalizers",
                        "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers " + added);
            }
        }
        validate(kind, next);
        return next;
    }

    /**
     * DELETE: a Pod as {@link DeletionGrace} decides (marked terminating for its kubelet to stop, its grace shortened, or
     * removed now);
     * everything else goes at once, its dependents after it (the garbage collector's background deletion), or kept
     * with their owner reference removed when {@code propagationPolicy} is {@code Orphan}.
     *
     * @return the Pod being terminated, or empty when the object is gone
     */
    public Optional<HasMetadata> delete(ResourceKind kind, String namespace, String name, DeleteOptions options) {
        ObjectKey key = key(kind, namespace, name);
        HasMetadata current = store.<HasMetadata>get(key).orElseThrow(() -> ApiException.notFound(ApiResources.resource(kind), name));
        checkPreconditions(kind, name, current, options);
        boolean dryRun = options.getDryRun() != null && options.getDryRun().contains("All");
        if (dryRun) {
            return Optional.of(current);
        }
        if ("Orphan".equals(options.getPropagationPolicy())) {
            orphanDependents(current);
        }
        if (kind == ResourceKind.POD) {
            return termination.delete((Pod) current, options.getGracePeriodSeconds()).map(HasMetadata.class::cast);
        }
        boolean foreground = "Foreground".equals(options.getPropagationPolicy());
        if (Finalizers.deleting(current) && !foreground) {
            return Optional.of(current); // already on its way; the finalizers' holders finish it
        }
        if (foreground || Finalizers.any(current) || kind == ResourceKind.NAMESPACE) {
            try {
                HasMetadata marked = store.mutate(key, o -> markDeleting(kind, o, foreground));
                return Optional.of(marked);
            } catch (StoreException e) {
                throw translate(kind, name, e);
            }
        }
        store.delete(key);
        return Optional.empty();
    }

    /**
     * Marks an object deleted and holds it: in {@code Foreground} until the garbage collector has deleted its
     * dependents; a Namespace (phase {@code Terminating}, {@code spec.finalizers: [kubernetes]}) until the namespace
     * controller has deleted its content; anything with finalizers until they are removed.
     */
    private HasMetadata markDeleting(ResourceKind kind, HasMetadata o, boolean foreground) {
        Finalizers.markDeleting(o, clock.instant());
        if (foreground) {
            Finalizers.add(o, Finalizers.FOREGROUND);
        }
        if (o instanceof io.fabric8.kubernetes.api.model.Namespace ns) {
            ns.setSpec(new io.fabric8.kubernetes.api.model.NamespaceSpec(List.of("kubernetes")));
            ns.setStatus(new io.fabric8.kubernetes.api.model.NamespaceStatusBuilder().withPhase("Terminating").build());
        }
        return o;
    }

    private void checkPreconditions(ResourceKind kind, String name, HasMetadata current, DeleteOptions options) {
        var pre = options.getPreconditions();
        if (pre == null) {
            return;
        }
        if (pre.getUid() != null && !pre.getUid().equals(current.getMetadata().getUid())) {
            throw ApiException.conflict(ApiResources.resource(kind), name, "Precondition failed: UID in precondition: " + pre.getUid()
                    + ", UID in object meta: " + current.getMetadata().getUid());
        }
        if (pre.getResourceVersion() != null && !pre.getResourceVersion().equals(current.getMetadata().getResourceVersion())) {
            throw ApiException.conflict(ApiResources.resource(kind), name, "Precondition failed: ResourceVersion in precondition: "
                    + pre.getResourceVersion() + ", ResourceVersion in object meta: " + current.getMetadata().getResourceVersion());
        }
    }

    private void orphanDependents(HasMetadata owner) {
        String uid = owner.getMetadata().getUid();
        for (ResourceKind kind : ResourceKind.values()) {
            for (HasMetadata o : store.list(kind, owner.getMetadata().getNamespace(), null)) {
                List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
                if (refs != null && refs.stream().anyMatch(r -> uid.equals(r.getUid()))) {
                    try {
                        store.mutate(ObjectKey.of(o), d -> {
                            d.getMetadata().getOwnerReferences().removeIf(r -> uid.equals(r.getUid()));
                            return d;
                        });
                    } catch (StoreException gone) {
                        // deleted meanwhile: nothing left to orphan
                    }
                }
            }
        }
    }

    private void validate(ResourceKind kind, HasMetadata object) {
        try {
            validator.validateObject(object);
        } catch (ManifestException e) {
            String name = object.getMetadata() == null || object.getMetadata().getName() == null ? "" : object.getMetadata().getName();
            throw ApiException.invalid(ApiResources.qualifiedKind(kind), ApiResources.resource(kind), name,
                    e.errors().stream().map(f -> ApiException.FieldCause.invalid(f.field(), f.message())).toList());
        }
    }

    private static void checkKind(ResourceKind kind, HasMetadata body) {
        if (!kind.kind().equals(body.getKind()) || !kind.apiVersion().equals(body.getApiVersion())) {
            throw ApiException.badRequest("the API version in the data (" + body.getApiVersion() + ") does not match the expected API version ("
                    + kind.apiVersion() + ")" + (kind.kind().equals(body.getKind()) ? "" : ", or the kind (" + body.getKind() + ") is not " + kind.kind()));
        }
    }

    private static void checkNamespace(String url, String body) {
        if (body != null && !body.isEmpty() && !body.equals(url)) {
            throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    private String generateName(String prefix) {
        StringBuilder name = new StringBuilder(prefix.length() > 58 ? prefix.substring(0, 58) : prefix);
        for (int i = 0; i < 5; i++) {
            name.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
        }
        return name.toString();
    }

    ObjectKey key(ResourceKind kind, String namespace, String name) {
        try {
            return new ObjectKey(kind, namespace, name);
        } catch (InvalidObjectKeyException e) {
            throw invalid(kind, name, e.field(), e.getMessage());
        }
    }

    private static ApiException invalid(ResourceKind kind, String name, String field, String message) {
        return ApiException.invalid(ApiResources.qualifiedKind(kind), ApiResources.resource(kind), name, List.of(ApiException.FieldCause.invalid(field, message)));
    }

    static LabelSelector labels(String expression) {
        if (expression == null || expression.isBlank()) {
            return null;
        }
        try {
            return Labels.parse(expression);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("unable to parse requirement: " + e.getMessage());
        }
    }

    static ApiException translate(ResourceKind kind, String name, StoreException e) {
        return switch (e.reason()) {
            case NOT_FOUND -> ApiException.notFound(ApiResources.resource(kind), name);
            case ALREADY_EXISTS -> ApiException.alreadyExists(ApiResources.resource(kind), name);
            case CONFLICT -> ApiException.conflict(ApiResources.resource(kind), name,
                    "the object has been modified; please apply your changes to the latest version and try again");
            case INVALID -> invalid(kind, name, e.field(), e.getMessage());
        };
    }
}
