package dev.berth.platform.engine;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.runtime.LogFiles;
import dev.berth.platform.runtime.LogOptions;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.StoreException;
import dev.berth.support.problem.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.InputStream;
import java.util.List;

/**
 * The embedded engine: this machine as a small cluster. Objects are written through the Kubernetes API (the
 * {@code apiserver} package) into the {@link ObjectStore}; the controllers, scheduler and kubelet react to them. What
 * the engine does on request is what Kubernetes has no object for: a pod's log files and every object of a kind for the
 * Prometheus service discovery. Thread-safe.
 */
public class LocalEngine {

    private final ObjectStore store;
    private final LogFiles logs;

    public LocalEngine(ObjectStore store, LogFiles logs) {
        this.store = store;
        this.logs = logs;
    }

    /** Every object of {@code kind}, in every namespace. */
    public <T extends HasMetadata> List<T> list(ResourceKind kind) {
        return store.list(kind, null, null);
    }

    public InputStream logs(String namespace, String pod, Integer tailLines, boolean follow) {
        ObjectKey key = new ObjectKey(ResourceKind.POD, namespace, pod);
        Pod found = store.<Pod>get(key).orElseThrow(() -> new EngineException(404, "pod " + key.namespace() + "/" + pod + " not found"));
        return logs(key.namespace(), pod, found.getSpec().getContainers().get(0).getName(), LogOptions.tail(tailLines, follow));
    }

    /**
     * One container's log as the kubelet serves {@code GET pods/{name}/log}: its current instance, or the previous one.
     *
     * @throws EngineException 404 for no such pod; 400 when the previous instance is asked and none is kept
     */
    public InputStream logs(String namespace, String pod, String container, LogOptions options) {
        ObjectKey key = new ObjectKey(ResourceKind.POD, namespace, pod);
        Pod found = store.<Pod>get(key).orElseThrow(() -> new EngineException(404, "pod " + key.namespace() + "/" + pod + " not found"));
        String uid = found.getMetadata().getUid();
        return logs.open(found, container, options, () -> store.<Pod>get(key).filter(p -> p.getMetadata().getUid().equals(uid)))
                .orElseThrow(() -> new EngineException(400, "previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found"));
    }

    /** The store's refusal as the core's own endpoints answer it (404, 409, or 400 naming the field). */
    public static EngineException translate(StoreException e) {
        return switch (e.reason()) {
            case NOT_FOUND -> new EngineException(404, e.getMessage());
            case ALREADY_EXISTS -> new EngineException(409, e.getMessage());
            case CONFLICT -> new EngineException(409, e.getMessage(), List.of(new Problem.FieldError("metadata.resourceVersion", "is stale")));
            case INVALID -> new EngineException(400, e.getMessage(), List.of(new Problem.FieldError(e.field(), e.getMessage())));
        };
    }
}
