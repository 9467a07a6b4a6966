package dev.berth.platform.apiserver.openapi;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.platform.apiserver.discovery.GroupVersionKind;
import io.fabric8.kubernetes.api.model.AnyType;
import io.fabric8.kubernetes.api.model.Duration;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Quantity;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * OpenAPI v3 schemas of fabric8 model classes, read from what Jackson serializes (its bean introspection, the
 * same view that writes the objects), named as upstream names them ({@link SchemaNames}).
 *
 * <p>Each class becomes one component of {@code type: object} with its JSON properties; a property of a model
 * type refers to that type's component through {@code allOf: [{$ref}]} as upstream writes it, so that extensions
 * may sit beside the reference. Types Kubernetes serializes as scalars (Quantity, IntOrString, MicroTime,
 * Duration) are the scalar components upstream has. Top-level kinds carry {@code x-kubernetes-group-version-kind},
 * which {@code kubectl explain} looks schemas up by.
 *
 * <p>Not thread-safe: build the documents on one thread, then share the bytes.
 */
public final class ModelSchemas {

    static final String REF_PREFIX = "#/components/schemas/";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Upstream's schemas of the types whose JSON is a scalar (kube-openapi's OpenAPIV3OneOfTypes and formats). */
    private static final Map<Class<?>, Supplier<ObjectNode>> SCALARS = Map.of(
            Quantity.class, () -> oneOf("string", "number"),
            IntOrString.class, () -> oneOf("integer", "string").put("format", "int-or-string")
                    .put("x-kubernetes-int-or-string", true),
            MicroTime.class, () -> NODES.objectNode().put("type", "string").put("format", "date-time"),
            Duration.class, () -> NODES.objectNode().put("type", "string"));

    private final ObjectMapper mapper = new ObjectMapper();
    private final FieldExtensions extensions;
    private final Map<String, ObjectNode> components = new HashMap<>();
    private final Map<String, Class<?>> definedBy = new HashMap<>();
    private final Map<String, Set<String>> references = new HashMap<>();

    public ModelSchemas(FieldExtensions extensions) {
        this.extensions = extensions;
    }

    /** A {@code $ref} to the component of a model class, generating it (and what it refers to) on first use. */
    public ObjectNode ref(Class<?> type) {
        String name = SchemaNames.of(type);
        Class<?> previous = definedBy.putIfAbsent(name, type);
        if (previous == null) {
            // registered before its properties are walked, so a type that contains itself refers to itself
            Set<String> refs = new TreeSet<>();
            references.put(name, refs);
            components.put(name, component(type, refs));
        } else if (previous != type) {
            throw new IllegalStateException(previous.getName() + " and " + type.getName() + " both map to " + name);
        }
        return NODES.objectNode().put("$ref", REF_PREFIX + name);
    }

    /** The named components and every component they refer to, directly or not, sorted by name. */
    public SortedMap<String, ObjectNode> closure(Collection<String> roots) {
        SortedMap<String, ObjectNode> out = new TreeMap<>();
        Deque<String> pending = new ArrayDeque<>(roots);
        while (!pending.isEmpty()) {
            String name = pending.pop();
            ObjectNode schema = components.get(name);
            if (schema == null) {
                throw new IllegalArgumentException("no component " + name);
            }
            if (out.put(name, schema) == null) {
                pending.addAll(references.get(name));
            }
        }
        return out;
    }

    private ObjectNode component(Class<?> type, Set<String> refs) {
        Supplier<ObjectNode> scalar = SCALARS.get(type);
        if (scalar != null) {
            return scalar.get();
        }
        BeanDescription bean = mapper.getSerializationConfig().introspect(mapper.constructType(type));
        ObjectNode properties = NODES.objectNode();
        bean.findProperties().stream()
                .filter(BeanPropertyDefinition::couldSerialize)
                .sorted((a, b) -> a.getName().compareTo(b.getName()))
                .forEach(p -> properties.set(p.getName(), property(type, p.getName(), p.getPrimaryType(), refs)));
        ObjectNode schema = NODES.objectNode().put("type", "object");
        if (!properties.isEmpty()) {
            schema.set("properties", properties);
        }
        GroupVersionKind.declaredBy(type).ifPresent(gvk -> schema.set("x-kubernetes-group-version-kind",
                NODES.arrayNode().add(NODES.objectNode()
                        .put("group", gvk.group()).put("kind", gvk.kind()).put("version", gvk.version()))));
        return schema;
    }

    private ObjectNode property(Class<?> owner, String name, JavaType type, Set<String> refs) {
        ObjectNode schema = schemaOf(type, refs);
        if (schema.has("$ref")) {
            schema = NODES.objectNode().set("allOf", NODES.arrayNode().add(schema));
        }
        for (Map.Entry<String, Object> e : extensions.of(owner, name).entrySet()) {
            schema.set(e.getKey(), extension(owner, name, e.getKey(), e.getValue()));
        }
        return schema;
    }

    private ObjectNode schemaOf(JavaType type, Set<String> refs) {
        Class<?> raw = type.getRawClass();
        if (raw == byte[].class) {
            return NODES.objectNode().put("type", "string").put("format", "byte");
        }
        if (type.isArrayType() || type.isCollectionLikeType()) {
            return NODES.objectNode().put("type", "array").set("items", schemaOf(type.getContentType(), refs));
        }
        if (type.isMapLikeType()) {
            return NODES.objectNode().put("type", "object")
                    .set("additionalProperties", schemaOf(type.getContentType(), refs));
        }
        ObjectNode primitive = primitive(raw);
        if (primitive != null) {
            return primitive;
        }
        if (!SCALARS.containsKey(raw) && freeForm(raw)) {
            return NODES.objectNode().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
        }
        ObjectNode ref = ref(raw);
        refs.add(SchemaNames.of(raw));
        return ref;
    }

    /** Fields typed Object, an interface or AnyType hold any JSON (fabric8's rendering of RawExtension and kin). */
    private static boolean freeForm(Class<?> raw) {
        return raw == Object.class || raw.isInterface() || Modifier.isAbstract(raw.getModifiers())
                || AnyType.class.isAssignableFrom(raw);
    }

    private static ObjectNode primitive(Class<?> raw) {
        ObjectNode node = NODES.objectNode();
        if (raw == String.class || raw == Character.class || raw == char.class) {
            return node.put("type", "string");
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return node.put("type", "boolean");
        }
        if (raw == Integer.class || raw == int.class || raw == Short.class || raw == short.class
                || raw == Byte.class || raw == byte.class) {
            return node.put("type", "integer").put("format", "int32");
        }
        if (raw == Long.class || raw == long.class || raw == BigInteger.class) {
            return node.put("type", "integer").put("format", "int64");
        }
        if (raw == Double.class || raw == double.class || raw == BigDecimal.class) {
            return node.put("type", "number").put("format", "double");
        }
        if (raw == Float.class || raw == float.class) {
            return node.put("type", "number").put("format", "float");
        }
        if (Temporal.class.isAssignableFrom(raw)) {
            // fabric8 types some times as java.time (Lease's acquireTime, renewTime); JSON has them as RFC 3339
            return node.put("type", "string").put("format", "date-time");
        }
        if (raw.isEnum()) {
            ArrayNode values = NODES.arrayNode();
            for (Object constant : raw.getEnumConstants()) {
                values.add(constant.toString());
            }
            return node.put("type", "string").set("enum", values);
        }
        return null;
    }

    private static ObjectNode oneOf(String... types) {
        ArrayNode alternatives = NODES.arrayNode();
        for (String t : types) {
            alternatives.add(NODES.objectNode().put("type", t));
        }
        return NODES.objectNode().set("oneOf", alternatives);
    }

    private static JsonNode extension(Class<?> owner, String property, String key,
            Object value) {
        String where = owner.getName() + "." + property;
        if (!key.startsWith("x-")) {
            throw new IllegalArgumentException("extension " + key + " of " + where + " does not start with x-");
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(v -> array.add((String) v));
            return array;
        }
        throw new IllegalArgumentException("extension " + key + " of " + where
                + " must be a string or a list of strings, not " + value);
    }
}
