package dev.berth.platform.store;

import dev.berth.platform.model.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A change to one stored object, as Kubernetes watches report it. {@code object} is a copy shared by the change's
 * listeners (none may change it); {@code json} is {@code object} encoded by the store's serialization, or null when the
 * source did not keep it.
 */
public record WatchEvent(Type type, ObjectKey key, HasMetadata object, long resourceVersion, String json) {

    public WatchEvent(Type type, ObjectKey key, HasMetadata object, long resourceVersion) {
        this(type, key, object, resourceVersion, null);
    }

    public enum Type {
        ADDED,
        MODIFIED,
        DELETED
    }
}
