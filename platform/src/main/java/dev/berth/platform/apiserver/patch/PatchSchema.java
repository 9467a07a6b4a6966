package dev.berth.platform.apiserver.patch;

import com.fasterxml.jackson.databind.JavaType;
import dev.berth.platform.model.ModelProperties;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a strategic merge patch needs to know about a type: for each field, its {@link PatchMeta} (if the Go type
 * tags it) and the type of its value. The tags are a table of data; the types come from Jackson's introspection
 * of the fabric8 model classes, so a path like Deployment → spec → template → spec → containers → env resolves
 * without listing it. A field the model does not declare (an {@code additionalProperties} extra) has no type and
 * no strategy: it merges as in a JSON merge patch.
 *
 * <p>Every entry is checked on construction against the model: its property exists, and a merge key names a
 * property of the list's elements (the built-in table by its test, not at every start). Thread-safe; introspection results are cached.
 */
public final class PatchSchema {

    /**
     * Not checked against the model when the core starts (the check introspects every tagged type, a measurable share
     * of the start): PatchSchemaTest checks this very table with {@link #PatchSchema(List, Set)}.
     */
    private static final PatchSchema KUBERNETES = new PatchSchema(KubernetesPatchMeta.ENTRIES, KubernetesPatchMeta.API_VERSIONS, false);

    private final List<PatchMeta> entries;
    private final Map<Class<?>, Map<String, PatchMeta>> byType = new HashMap<>();
    private final Set<String> apiVersions;

    /**
     * @param entries the tagged fields
     * @param apiVersions the group/versions whose kinds the entries describe completely: strategic merge is served
     *        for their kinds only, as kube-apiserver serves it for built-in kinds and not for custom resources
     */
    public PatchSchema(List<PatchMeta> entries, Set<String> apiVersions) {
        this(entries, apiVersions, true);
    }

    private PatchSchema(List<PatchMeta> entries, Set<String> apiVersions, boolean checkAgainstModel) {
        this.entries = List.copyOf(entries);
        this.apiVersions = Set.copyOf(apiVersions);
        for (PatchMeta meta : this.entries) {
            if (checkAgainstModel) {
                check(meta);
            }
            if (byType.computeIfAbsent(meta.type(), t -> new HashMap<>()).put(meta.property(), meta) != null) {
                throw new IllegalArgumentException(name(meta) + " is declared twice");
            }
        }
    }

    /** The built-in Kubernetes types, tags transcribed from k8s.io/api (see {@link KubernetesPatchMeta}). */
    public static PatchSchema kubernetes() {
        return KUBERNETES;
    }

    /** Every tagged field, e.g. for OpenAPI's {@code x-kubernetes-patch-merge-key}/{@code x-kubernetes-patch-strategy}. */
    public List<PatchMeta> entries() {
        return entries;
    }

    /** The tags of {@code property} on {@code type} (or a superclass declaring it). */
    public Optional<PatchMeta> find(Class<?> type, String property) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            PatchMeta meta = byType.getOrDefault(c, Map.of()).get(property);
            if (meta != null) {
                return Optional.of(meta);
            }
        }
        return Optional.empty();
    }

    /** Whether strategic merge patch is served for this kind (false for custom and generic resources). */
    public boolean supports(Class<? extends HasMetadata> kind) {
        String apiVersion = HasMetadata.getApiVersion(kind);
        return apiVersion != null && apiVersions.contains(apiVersion);
    }

    JavaType typeOf(Class<?> type) {
        return ModelProperties.type(type);
    }

    /** The value type and tags of {@code property} inside a value of type {@code owner} ({@code null}: unknown). */
    Field field(JavaType owner, String property) {
        if (owner == null) {
            return Field.UNKNOWN;
        }
        if (owner.isMapLikeType()) {
            return new Field(owner.getContentType(), null);
        }
        if (!ModelProperties.isModel(owner)) {
            return Field.UNKNOWN;
        }
        return new Field(ModelProperties.of(owner).get(property), find(owner.getRawClass(), property).orElse(null));
    }

    private void check(PatchMeta meta) {
        JavaType type = ModelProperties.of(typeOf(meta.type())).get(meta.property());
        if (type == null) {
            throw new IllegalArgumentException(name(meta) + ": " + meta.type().getName() + " has no JSON property " + meta.property());
        }
        if (!meta.merges()) {
            return;
        }
        JavaType element = Field.elementOf(type);
        if (meta.mergeKey().isEmpty() == ModelProperties.isModel(element)) {
            throw new IllegalArgumentException(name(meta) + ": a merged list " + (meta.mergeKey().isEmpty()
                    ? "of objects needs a merge key" : "of " + element.getRawClass().getSimpleName() + " cannot have one"));
        }
        if (!meta.mergeKey().isEmpty() && !ModelProperties.of(element).containsKey(meta.mergeKey())) {
            throw new IllegalArgumentException(name(meta) + ": its elements have no merge key property " + meta.mergeKey());
        }
    }

    private static String name(PatchMeta meta) {
        return meta.type().getSimpleName() + "." + meta.property();
    }

    /** A field's value type ({@code null}: unknown, no further strategies) and tags ({@code null}: none). */
    record Field(JavaType type, PatchMeta meta) {

        static final Field UNKNOWN = new Field(null, null);

        String mergeKey() {
            return meta == null ? "" : meta.mergeKey();
        }

        boolean merges() {
            return meta != null && meta.merges();
        }

        boolean replaces() {
            return meta != null && meta.replaces();
        }

        /** The type of a list field's elements; a field typed as one object stands for its elements, as Go's pointers do. */
        JavaType elementType() {
            return type == null ? null : elementOf(type);
        }

        static JavaType elementOf(JavaType type) {
            return type.isCollectionLikeType() || type.isArrayType() ? type.getContentType() : type;
        }
    }
}
