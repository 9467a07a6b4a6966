package dev.berth.platform.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Field ownership of every write, as kube-apiserver's field manager ({@code k8s.io/apimachinery/pkg/util/managedfields}
 * over structured-merge-diff's {@code merge.Updater}):
 * <ul>
 * <li>{@link #apply}: server-side apply. The configuration merges into the live object; what the manager applied
 * before and applies no more is removed unless another manager owns it; a field another manager owns and the
 * configuration changes is a conflict unless {@code force} takes it over; an equal value is owned by both.
 * {@code kubectl}'s first server-side apply takes over what its client-side applies set
 * ({@link ClientSideApplyUpgrade}).</li>
 * <li>{@link #update}: any other write (create, update, patch, a status write) — the fields it changed become the
 * writer's and are taken from every other manager; managers left with nothing are dropped.</li>
 * </ul>
 * The objects are JSON trees of one kind; {@code metadata.managedFields} is read from them and written into the
 * result. The metadata the server owns (name, uid, resourceVersion …) is never owned, as upstream's
 * {@code stripMeta} does. Thread-safe: no state but the schema and clock.
 */
public final class FieldManager {

    /** Upstream's manager for the fields of an object nobody had applied or updated when it is first applied. */
    public static final String BEFORE_FIRST_APPLY = "before-first-apply";
    /** kubectl's annotation of client-side apply, kept in step when kubectl applies server-side. */
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FieldSet SERVER_METADATA = FieldSet.of(FieldPath.of("apiVersion"), FieldPath.of("kind"),
            FieldPath.of("metadata"), FieldPath.of("metadata", "name"), FieldPath.of("metadata", "namespace"),
            FieldPath.of("metadata", "creationTimestamp"), FieldPath.of("metadata", "selfLink"), FieldPath.of("metadata", "uid"),
            FieldPath.of("metadata", "clusterName"), FieldPath.of("metadata", "generation"),
            FieldPath.of("metadata", "managedFields"), FieldPath.of("metadata", "resourceVersion"));

    /** No manager's identifier (identifiers are JSON objects): the write being recorded, before it joins its manager. */
    private static final String CURRENT_OPERATION = "current-operation";

    private final ApplySchema schema;
    private final Clock clock;

    public FieldManager(ApplySchema schema, Clock clock) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Applies {@code applied} for {@code manager}.
     *
     * @param live the stored object, {@code null} when the apply creates it
     * @param applied the applied configuration (with {@code apiVersion}, {@code kind} and {@code metadata.name})
     * @param kind the model class of the kind
     * @param ignored fields this write cannot change (the main resource's {@code status}): nobody comes to own them
     * @return the object to store, its managedFields updated; equal to {@code live} when nothing changed
     * @throws ApplyConflictException on conflicts without {@code force}
     * @throws IllegalArgumentException if the configuration sets managedFields or a list item lacks its key
     */
    public ObjectNode apply(ObjectNode live, ObjectNode applied, Class<?> kind, String manager, boolean force, FieldSet ignored) {
        try {
            return applyAs(live, applied, kind, manager, force, ignored);
        } catch (ApplyConflictException e) {
            if (!ClientSideApplyUpgrade.KUBECTL.equals(manager)) {
                throw e;
            }
            List<ApplyConflictException.Conflict> left = ClientSideApplyUpgrade.unexplained(e.conflicts(), live,
                    applied.path("apiVersion").asText(), schema.root(kind));
            if (!left.isEmpty()) {
                throw left.size() == e.conflicts().size() ? e : new ApplyConflictException(left);
            }
            return applyAs(live, applied, kind, manager, true, ignored); // every conflict is the client-side apply's
        }
    }

    private ObjectNode applyAs(ObjectNode live, ObjectNode applied, Class<?> kind, String manager, boolean force, FieldSet ignored) {
        JsonNode appliedManaged = applied.path("metadata").get("managedFields");
        if (appliedManaged != null && !appliedManaged.isNull() && !appliedManaged.isEmpty()) {
            throw new IllegalArgumentException("metadata.managedFields must be nil");
        }
        ApplySchema.Type type = schema.root(kind);
        String apiVersion = applied.path("apiVersion").asText();
        ManagedFields managed = live == null ? new ManagedFields() : ManagedFields.decode(live.path("metadata").get("managedFields"));
        ObjectNode before = live == null ? ZeroObjects.of(kind) : withoutManagedFields(live);
        if (live != null && managed.fields.isEmpty()) {
            // an object nobody owns fields of (created before tracking, or by the core itself) is owned by one updater first
            track(ZeroObjects.of(kind), before, type, managed, ManagedFields.identifier(BEFORE_FIRST_APPLY, ManagedFields.UPDATE,
                    apiVersion, ""), apiVersion, ignored);
        }
        String id = ManagedFields.identifier(manager, ManagedFields.APPLY, apiVersion, "");
        FieldSet config = TypedObjects.fieldSet(applied, type).recursiveDifference(ignored).difference(SERVER_METADATA);
        JsonNode merged = TypedObjects.merge(live == null ? null : before, withoutManagedFields(applied), type);
        ManagedFields.Owned last = managed.fields.get(id);
        managed.fields.put(id, new ManagedFields.Owned(config, apiVersion, true));
        if (last != null && !last.fields().isEmpty()) {
            FieldSet owned = new FieldSet();
            for (ManagedFields.Owned o : managed.fields.values()) {
                owned = owned.union(o.fields());
            }
            merged = TypedObjects.remove(merged, last.fields().withFieldsAsMembers().difference(owned.withFieldsAsMembers()), type);
        }
        ObjectNode result = (ObjectNode) TypedObjects.withoutNulls(merged);
        TypedObjects.Comparison changes = filter(TypedObjects.compare(before, result, type), ignored);
        takeFromOthers(managed, id, changes, force);
        if (managed.fields.get(id).fields().isEmpty()) {
            managed.fields.remove(id);
        }
        boolean changed = !Values.equal(before, result);
        if (changed) {
            managed.times.put(id, now());
            if (ClientSideApplyUpgrade.KUBECTL.equals(manager)) {
                keepLastApplied(result, applied);
            }
        }
        return withManagedFields(result, managed);
    }

    /**
     * Records a write other than apply by {@code manager}.
     *
     * @param live the stored object, {@code null} on create
     * @param next the object to store; its managedFields, if it sets them (and this is no subresource), replace the
     *        live ones, {@code []} or {@code [{}]} clears them, an undecodable list is ignored
     * @param subresource {@code ""}, or {@code status} for a status write (whose managedFields are never taken)
     * @return {@code next} with managedFields updated
     */
    public ObjectNode update(ObjectNode live, ObjectNode next, Class<?> kind, String manager, String subresource, FieldSet ignored) {
        ApplySchema.Type type = schema.root(kind);
        String apiVersion = next.path("apiVersion").asText();
        ManagedFields managed = base(live, next, subresource);
        ObjectNode before = live == null ? ZeroObjects.of(kind) : withoutManagedFields(live);
        ObjectNode after = withoutManagedFields(next);
        track(before, after, type, managed, ManagedFields.identifier(manager, ManagedFields.UPDATE, apiVersion, subresource),
                apiVersion, ignored);
        return withManagedFields(after, managed);
    }

    /** The managers an update starts from: the request's when it names valid ones, else the live object's. */
    private static ManagedFields base(ObjectNode live, ObjectNode next, String subresource) {
        JsonNode requested = next.path("metadata").get("managedFields");
        if (subresource.isEmpty()) {
            if (ManagedFields.isReset(requested)) {
                return new ManagedFields();
            }
            try {
                ManagedFields own = ManagedFields.decode(requested);
                if (!own.fields.isEmpty()) {
                    return own;
                }
            } catch (IllegalArgumentException invalid) {
                // a client that does not understand managedFields must not wipe them: the live ones stay
            }
        }
        try {
            return live == null ? new ManagedFields() : ManagedFields.decode(live.path("metadata").get("managedFields"));
        } catch (IllegalArgumentException invalid) {
            return new ManagedFields(); // undecodable stored entries: start over rather than refuse every write
        }
    }

    /**
     * The updater's part, as upstream's {@code managedFieldsUpdater}: the write's changes are taken from every owner
     * ({@code id} included, as a "current operation"), then the changed fields join what {@code id} kept.
     */
    private void track(ObjectNode before, ObjectNode after, ApplySchema.Type type, ManagedFields managed, String id,
            String apiVersion, FieldSet ignored) {
        TypedObjects.Comparison changes = filter(TypedObjects.compare(before, after, type), ignored);
        takeFromOthers(managed, CURRENT_OPERATION, changes, true);
        FieldSet mine = changes.changed().recursiveDifference(ignored).difference(SERVER_METADATA);
        if (mine.isEmpty()) {
            return;
        }
        ManagedFields.Owned previous = managed.fields.get(id);
        managed.fields.put(id, new ManagedFields.Owned(previous == null ? mine : mine.union(previous.fields()), apiVersion, false));
        managed.times.put(id, now());
    }

    /**
     * Upstream's {@code Updater.update}: fields {@code id}'s write changed are conflicts for their other owners
     * (refused unless forced, else taken from them); removed fields leave every owner; empty owners are dropped.
     */
    private static void takeFromOthers(ManagedFields managed, String id, TypedObjects.Comparison changes, boolean force) {
        FieldSet changed = changes.changed();
        List<ApplyConflictException.Conflict> conflicts = new ArrayList<>();
        for (Map.Entry<String, ManagedFields.Owned> e : managed.fields.entrySet()) {
            if (e.getKey().equals(id)) {
                continue;
            }
            for (FieldPath p : e.getValue().fields().intersection(changed).paths()) {
                conflicts.add(new ApplyConflictException.Conflict(ManagedFields.describe(e.getKey()), p));
            }
        }
        if (!force && !conflicts.isEmpty()) {
            throw new ApplyConflictException(conflicts);
        }
        managed.fields.replaceAll((owner, o) -> owner.equals(id) ? o
                : new ManagedFields.Owned(o.fields().difference(changed).difference(changes.removed()), o.apiVersion(), o.applied()));
        managed.fields.entrySet().removeIf(e -> !e.getKey().equals(id) && e.getValue().fields().isEmpty());
        managed.times.keySet().retainAll(managed.fields.keySet());
    }

    private static TypedObjects.Comparison filter(TypedObjects.Comparison c, FieldSet ignored) {
        return new TypedObjects.Comparison(c.added().recursiveDifference(ignored), c.modified().recursiveDifference(ignored),
                c.removed().recursiveDifference(ignored));
    }

    /** kubectl's client-side apply annotation, where the object has one, follows what kubectl applied server-side. */
    private static void keepLastApplied(ObjectNode result, ObjectNode applied) {
        JsonNode annotations = result.path("metadata").path("annotations");
        if (!annotations.has(LAST_APPLIED)) {
            return;
        }
        ObjectNode configuration = withoutManagedFields(applied);
        JsonNode own = configuration.path("metadata").path("annotations");
        if (own.isObject()) {
            ((ObjectNode) own).remove(LAST_APPLIED);
            if (own.isEmpty()) {
                ((ObjectNode) configuration.get("metadata")).remove("annotations");
            }
        }
        ((ObjectNode) annotations).put(LAST_APPLIED, configuration.toString());
    }

    private static ObjectNode withoutManagedFields(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode meta) {
            meta.remove("managedFields");
        }
        return copy;
    }

    private static ObjectNode withManagedFields(ObjectNode object, ManagedFields managed) {
        ObjectNode out = object.deepCopy();
        ObjectNode meta = out.get("metadata") instanceof ObjectNode m ? m : out.putObject("metadata");
        if (managed.fields.isEmpty()) {
            meta.remove("managedFields");
        } else {
            meta.set("managedFields", managed.encode());
        }
        return out;
    }

    private String now() {
        return DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    static ObjectMapper json() {
        return JSON;
    }
}
