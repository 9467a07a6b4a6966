package dev.berth.platform.apiserver.apply;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.berth.platform.apiserver.patch.PatchMeta;
import dev.berth.platform.apiserver.patch.PatchSchema;
import dev.berth.platform.model.ModelProperties;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ReplicationControllerSpec;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.TopologySelectorTerm;
import io.fabric8.kubernetes.api.model.TypedLocalObjectReference;
import java.util.Map;
import java.util.Set;

/**
 * The structure apply needs of the served kinds, as structured-merge-diff reads it from kube-apiserver's OpenAPI:
 * which fields a type declares, which lists merge by key or as sets ({@link ListType}) and which structs are atomic.
 * The field types come from Jackson's introspection of the fabric8 model classes; the list types from the
 * {@code patchStrategy=merge}/{@code patchMergeKey} tags of {@link PatchSchema} (upstream's schema conversion does
 * the same when a field has no {@code x-kubernetes-list-type}), corrected by {@link #LIST_TYPES} where upstream's
 * {@code +listType}/{@code +listMapKey} differ; every other list is atomic. Atomic structs and maps are
 * {@link #ATOMIC_STRUCTS} and {@link #ATOMIC_MAPS}. A field the model does not know (an
 * extra property, a custom resource) is typed as upstream's deduced type: maps merge, lists are atomic.
 *
 * <p>Thread-safe; introspection results are cached.
 */
public final class ApplySchema {

    private static final ApplySchema KUBERNETES = new ApplySchema(PatchSchema.kubernetes());
    private static final JsonNode TCP = TextNode.valueOf("TCP");

    /**
     * Where k8s.io/api's {@code +listType=map}/{@code +listMapKey} (kubernetes v1.32 {@code core/v1/types.go}) name
     * more keys than the one {@code patchMergeKey}, with the key defaults upstream's OpenAPI carries.
     */
    static final Map<Class<?>, Map<String, ListType>> LIST_TYPES = Map.of(
            Container.class, Map.of("ports", ListType.map("containerPort", "protocol").withDefault("protocol", TCP)),
            EphemeralContainer.class, Map.of("ports", ListType.map("containerPort", "protocol").withDefault("protocol", TCP)),
            ServiceSpec.class, Map.of("ports", ListType.map("port", "protocol").withDefault("protocol", TCP)),
            PodSpec.class, Map.of("topologySpreadConstraints", ListType.map("topologyKey", "whenUnsatisfiable")));

    /** Structs tagged {@code +structType=atomic} (OpenAPI {@code x-kubernetes-map-type: atomic}): owned and replaced whole. */
    static final Set<Class<?>> ATOMIC_STRUCTS = Set.of(LabelSelector.class, LocalObjectReference.class, ObjectReference.class,
            TypedLocalObjectReference.class, ConfigMapKeySelector.class, SecretKeySelector.class, ObjectFieldSelector.class,
            ResourceFieldSelector.class, NodeSelector.class, NodeSelectorTerm.class, TopologySelectorTerm.class);

    /**
     * Map fields tagged {@code +mapType=atomic} (k8s.io/api {@code core/v1/types.go}): a pod's node selector and the
     * label selectors of a Service and a ReplicationController are owned and replaced whole, as atomic structs are.
     */
    static final Map<Class<?>, Set<String>> ATOMIC_MAPS = Map.of(PodSpec.class, Set.of("nodeSelector"), ServiceSpec.class, Set.of("selector"),
            ReplicationControllerSpec.class, Set.of("selector"));

    private final PatchSchema patchSchema;

    public ApplySchema(PatchSchema patchSchema) {
        this.patchSchema = patchSchema;
    }

    /** The kinds kube-apiserver serves, from {@link PatchSchema#kubernetes()}. */
    public static ApplySchema kubernetes() {
        return KUBERNETES;
    }

    /** The type of a whole object of this model class. */
    public Type root(Class<?> kind) {
        return new Type(ModelProperties.type(kind), ListType.ATOMIC);
    }

    /** A type with nothing known about it: upstream's deduced type (maps merge, lists are atomic). */
    public Type deduced() {
        return new Type(null, ListType.ATOMIC);
    }

    /**
     * One position in an object: its model type ({@code null} when unknown) and, for a list, how it merges.
     * Immutable.
     */
    public final class Type {

        private final JavaType type;
        private final ListType list;
        private final boolean atomicField;

        private Type(JavaType type, ListType list) {
            this(type, list, false);
        }

        private Type(JavaType type, ListType list, boolean atomicField) {
            this.type = type;
            this.list = list;
            this.atomicField = atomicField;
        }

        /** The type of field {@code name} of a map or struct at this position. */
        public Type field(String name) {
            if (type == null) {
                return deduced();
            }
            if (type.isMapLikeType()) {
                return new Type(type.getContentType(), ListType.ATOMIC);
            }
            JavaType fieldType = ModelProperties.isModel(type) ? ModelProperties.of(type).get(name) : null;
            if (fieldType == null) {
                return deduced();
            }
            return new Type(fieldType, fieldType.isCollectionLikeType() || fieldType.isArrayType()
                    ? listType(type.getRawClass(), name) : ListType.ATOMIC, atomicField(type.getRawClass(), name));
        }

        /** The type of the items of a list at this position. */
        public Type element() {
            if (type == null || !(type.isCollectionLikeType() || type.isArrayType())) {
                return deduced();
            }
            return new Type(type.getContentType(), ListType.ATOMIC);
        }

        /** Whether a struct at this position declares field {@code name} (a map's keys are not declared). */
        public boolean declares(String name) {
            return type != null && ModelProperties.isModel(type) && ModelProperties.of(type).containsKey(name);
        }

        /** Whether a map at this position is owned and replaced whole. */
        public boolean atomicMap() {
            return atomicField || type != null && ATOMIC_STRUCTS.contains(type.getRawClass());
        }

        /** How a list at this position merges. */
        public ListType list() {
            return list;
        }
    }

    private static boolean atomicField(Class<?> owner, String property) {
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            if (ATOMIC_MAPS.getOrDefault(c, Set.of()).contains(property)) {
                return true;
            }
        }
        return false;
    }

    private ListType listType(Class<?> owner, String property) {
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            ListType explicit = LIST_TYPES.getOrDefault(c, Map.of()).get(property);
            if (explicit != null) {
                return explicit;
            }
        }
        return patchSchema.find(owner, property).filter(PatchMeta::merges)
                .map(m -> m.mergeKey().isEmpty() ? ListType.SET : ListType.map(m.mergeKey()))
                .orElse(ListType.ATOMIC);
    }
}
