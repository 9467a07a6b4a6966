package dev.berth.platform.store;

import dev.berth.platform.model.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** A change to one stored object, as Kubernetes watches report it. {@code object} is a private copy. */
public record WatchEvent(Type type, ObjectKey key, HasMetadata object, long resourceVersion) {

    public enum Type {
        ADDED,
        MODIFIED,
        DELETED
    }
}
