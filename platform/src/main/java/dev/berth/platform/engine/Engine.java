package dev.berth.platform.engine;

import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.WatchEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What Berth does to a cluster, whichever cluster it is: this machine (the local engine, embedded in the
 * core), the core seen from the CLI over HTTP, or a real Kubernetes cluster. api, cli and pipeline only ever
 * see this interface.
 *
 * <p>Objects are fabric8 Kubernetes objects. Failures are {@link EngineException}s carrying an HTTP-like
 * status and the field errors, so every caller reports them the same way.
 */
public interface Engine {

    /**
     * Creates or updates objects (kubectl apply). All documents are checked before any is written.
     *
     * @param defaultNamespace namespace for objects that name none
     * @param dryRun           check only, write nothing
     */
    List<ApplyResult> apply(List<HasMetadata> objects, String defaultNamespace, boolean dryRun);

    <T extends HasMetadata> Optional<T> get(ResourceKind kind, String namespace, String name);

    /**
     * @param namespace     null for all namespaces
     * @param labelSelector kubectl syntax ({@code app=web,tier!=db}); null or empty for all
     */
    <T extends HasMetadata> List<T> list(ResourceKind kind, String namespace, String labelSelector);

    /** Replaces an object if {@code metadata.resourceVersion} is current; otherwise a 409 EngineException. */
    <T extends HasMetadata> T update(T object);

    /** @return whether something was deleted */
    boolean delete(ResourceKind kind, String namespace, String name);

    /** Sets {@code spec.replicas} of a Deployment or StatefulSet. */
    HasMetadata scale(ResourceKind kind, String namespace, String name, int replicas);

    /** Streams changes until the returned handle is closed. */
    AutoCloseable watch(ResourceKind kind, String namespace, String labelSelector, Consumer<WatchEvent> listener);

    /**
     * A replica's log (stdout and stderr).
     *
     * @param tailLines only the last lines; null for all
     * @param follow    keep streaming new lines until the stream is closed
     */
    InputStream logs(String namespace, String pod, Integer tailLines, boolean follow);

    /**
     * kubectl rollout pause | resume | restart | undo on a Deployment.
     *
     * @return the Deployment as changed
     * @throws EngineException 404 for no such Deployment, 400 for an undo to a revision that is not in history
     */
    io.fabric8.kubernetes.api.model.apps.Deployment rollout(String namespace, String name, RolloutAction action);

    /** Cordon, uncordon, drain or fail a node (and recover a failed one). */
    HasMetadata node(String name, NodeAction action);
}
