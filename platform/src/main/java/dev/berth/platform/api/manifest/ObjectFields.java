package dev.berth.platform.api.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.Quantity;
import java.beans.Introspector;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Walks every field of a manifest for what fabric8 accepts but Kubernetes would not: fields its Kubernetes type
 * does not have ({@code spec.replica} for {@code spec.replicas}), which fabric8 keeps in each object's
 * {@code additionalProperties} (like {@code kubectl apply --validate=strict}, Berth refuses them), and quantities
 * out of Kubernetes' range wherever they appear (requests, limits, storage, autoscaler targets). Thread-safe.
 */
final class ObjectFields {

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";
    private static final Map<Class<?>, List<Property>> PROPERTIES = new ConcurrentHashMap<>();

    private record Property(String jsonName, Method getter) {}

    private ObjectFields() {}

    static void report(Object object, Violations v) {
        walk(object, "", v, 0, false);
    }

    /**
     * The paths of the fields {@code object} has that its Kubernetes type does not ({@code spec.replica},
     * {@code spec.template.spec.containers[0].imagePullPolicyTwo}), as kube-apiserver's strict decoding names them.
     *
     * @param drop whether to remove them from the object as they are found (what a lenient decoder keeps of it)
     */
    static List<String> unknown(Object object, boolean drop) {
        Violations v = new Violations("");
        walk(object, "", v, 0, drop);
        return v.errors().stream().filter(e -> e.message().startsWith(NOT_A_FIELD)).map(e -> e.field()).toList();
    }

    private static final String NOT_A_FIELD = "is not a field of ";

    private static void walk(Object o, String path, Violations v, int depth, boolean drop) {
        if (o == null || depth > 32) {
            return;
        }
        if (o instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) == null) {
                    v.add(path + "[" + i + "]", "must not be null"); // the rules of each kind skip such entries
                } else {
                    walk(list.get(i), path + "[" + i + "]", v, depth + 1, drop);
                }
            }
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, value) -> walk(value, path + "." + k, v, depth + 1, drop));
            return;
        }
        if (o instanceof Quantity q) {
            // checked as text, never through its getters: getNumericalAmount() is what an absurd exponent makes slow
            QuantityFormat.problem(q).ifPresent(p -> v.add(path, p));
            return;
        }
        if (!o.getClass().getName().startsWith(MODEL_PACKAGE) || o instanceof FieldsV1) {
            return; // a managedFields entry's fieldsV1 is a set of paths, free-form JSON by design
        }
        for (Property p : properties(o.getClass())) {
            Object value;
            try {
                value = p.getter.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (p.jsonName.equals("additionalProperties")) {
                if (value instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> v.add(join(path, k.toString()), NOT_A_FIELD + o.getClass().getSimpleName()));
                    if (drop) {
                        extra.clear();
                    }
                }
            } else {
                walk(value, join(path, p.jsonName), v, depth + 1, drop);
            }
        }
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static List<Property> properties(Class<?> type) {
        return PROPERTIES.computeIfAbsent(type, t -> {
            List<Property> props = new ArrayList<>();
            for (Method m : t.getMethods()) {
                // default getters are computed, not fields: HasMetadata's getPlural()/getSingular() run the pluralizer
                if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.isDefault() || m.getDeclaringClass() == Object.class) {
                    continue;
                }
                String name = m.getName();
                if (!name.startsWith("get") || name.length() == 3 || name.equals("getClass")) {
                    continue;
                }
                String bean = Introspector.decapitalize(name.substring(3));
                props.add(new Property(jsonName(t, bean), m));
            }
            // getMethods() has no fixed order (it varies between runs): an object's own unknown fields first, then by name
            props.sort(Comparator.comparing((Property p) -> !p.jsonName().equals("additionalProperties")).thenComparing(Property::jsonName));
            return props;
        });
    }

    private static String jsonName(Class<?> type, String bean) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(bean);
                JsonProperty jp = f.getAnnotation(JsonProperty.class);
                return jp != null && !jp.value().isEmpty() ? jp.value() : bean;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        return bean;
    }
}
