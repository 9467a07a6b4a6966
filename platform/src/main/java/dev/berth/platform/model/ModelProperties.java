package dev.berth.platform.model;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON properties of the fabric8 model classes as Jackson reads them (its bean introspection, the view that
 * decodes the objects), by name with their types: what the patch, apply and semantic-equality walks know of a
 * field. Thread-safe; introspection is cached.
 */
public final class ModelProperties {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<JavaType, Map<String, JavaType>> PROPERTIES = new ConcurrentHashMap<>();

    private ModelProperties() {}

    public static JavaType type(Class<?> type) {
        return MAPPER.constructType(type);
    }

    /** The properties of {@code bean}, a {@link #isModel model type}, by JSON name. */
    public static Map<String, JavaType> of(JavaType bean) {
        return PROPERTIES.computeIfAbsent(bean, t -> {
            BeanDescription description = MAPPER.getDeserializationConfig().introspect(t);
            Map<String, JavaType> byName = new HashMap<>();
            for (BeanPropertyDefinition p : description.findProperties()) {
                byName.put(p.getName(), p.getPrimaryType());
            }
            return Map.copyOf(byName);
        });
    }

    /** Whether {@code type} is a bean such as the fabric8 model classes: not a JDK value, container or untyped tree. */
    public static boolean isModel(JavaType type) {
        Class<?> raw = type.getRawClass();
        return !type.isContainerType() && !type.isPrimitive() && !type.isEnumType() && raw != Object.class
                && !raw.getName().startsWith("java.") && !JsonNode.class.isAssignableFrom(raw);
    }
}
