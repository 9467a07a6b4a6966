package dev.berth.platform.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;
import java.util.Objects;

/** Identity of a stored object: kind, namespace (empty for cluster-scoped kinds) and name. */
public record ObjectKey(ResourceKind kind, String namespace, String name) implements Comparable<ObjectKey> {

    public static final String DEFAULT_NAMESPACE = "default";

    private static final Comparator<ObjectKey> ORDER = Comparator.comparing(ObjectKey::kind)
            .thenComparing(ObjectKey::namespace).thenComparing(ObjectKey::name);

    public ObjectKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        namespace = kind.namespaced() ? (namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace) : "";
    }

    public static ObjectKey of(HasMetadata object) {
        ResourceKind kind = ResourceKind.of(object)
                .orElseThrow(() -> new IllegalArgumentException("unsupported kind " + object.getApiVersion() + "/" + object.getKind()));
        return new ObjectKey(kind, object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    @Override
    public int compareTo(ObjectKey o) {
        return ORDER.compare(this, o);
    }

    /** {@code deployments/default/order-service}, {@code nodes/node-1}. */
    @Override
    public String toString() {
        return kind.plural() + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
}
