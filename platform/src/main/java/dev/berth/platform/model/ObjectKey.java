package dev.berth.platform.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;
import java.util.Optional;

/**
 * Identity of a stored object: kind, namespace (empty for cluster-scoped kinds) and name. Only valid Kubernetes
 * names make a key (the namespace a DNS-1123 label, the name in its kind's {@link NameFormat}), so no key can
 * name a path outside the store: {@code ../x}, {@code /tmp} or a 300-character name throw
 * {@link InvalidObjectKeyException}.
 */
public record ObjectKey(ResourceKind kind, String namespace, String name) implements Comparable<ObjectKey> {

    public static final String DEFAULT_NAMESPACE = "default";

    public ObjectKey {
        Objects.requireNonNull(kind, "kind");
        namespace = kind.namespaced() ? (namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace) : "";
        if (kind.namespaced()) {
            require(NameFormat.DNS1123_LABEL, "metadata.namespace", namespace);
        }
        require(kind.nameFormat(), "metadata.name", name);
    }

    private static void require(NameFormat format, String field, String value) {
        Optional<String> problem = format.problem(value);
        if (problem.isPresent()) {
            throw new InvalidObjectKeyException(field, value, problem.get());
        }
    }

    public static ObjectKey of(HasMetadata object) {
        ResourceKind kind = ResourceKind.of(object)
                .orElseThrow(() -> new IllegalArgumentException("unsupported kind " + object.getApiVersion() + "/" + object.getKind()));
        if (object.getMetadata() == null) {
            throw new InvalidObjectKeyException("metadata.name", null, "must be non-empty");
        }
        return new ObjectKey(kind, object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** Kind, then namespace, then name: field by field, without a comparator chain (the store's index compares keys on every read). */
    @Override
    public int compareTo(ObjectKey o) {
        int c = kind.compareTo(o.kind);
        if (c == 0) {
            c = namespace.compareTo(o.namespace);
        }
        return c != 0 ? c : name.compareTo(o.name);
    }

    /** {@code deployments/default/order-service}, {@code nodes/node-1}. */
    @Override
    public String toString() {
        return kind.plural() + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
}
