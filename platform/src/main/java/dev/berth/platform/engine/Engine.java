package dev.berth.platform.engine;

import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.WatchEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What Berth does to a cluster, whichever cluster it is: the core on this machine ("a cluster at 127.0.0.1:7070")
 * or a real Kubernetes cluster, both through the Kubernetes API and the same fabric8 client ({@link KubernetesEngine}).
 * The CLI and the pipeline only ever see this interface; what differs between the two clusters is asked of it
 * ({@link #serviceAddress}, {@link #searchLogs}, {@link #rollsBackItself}, failing a node), never found out by type.
 *
 * <p>Objects are fabric8 Kubernetes objects. Failures are {@link EngineException}s carrying an HTTP-like
 * status and the field errors, so every caller reports them the same way.
 */
public interface Engine {

    /** The fabric8 client underneath, for what the verbs below do not cover (events, rollout supervision). */
    io.fabric8.kubernetes.client.KubernetesClient client();

    /**
     * Where a Service answers from this machine: the core's local port for it, or a port-forward to a cluster (close
     * the address to end it).
     *
     * @return empty when the Service has no address here
     */
    Optional<ServiceAddress> serviceAddress(String namespace, String service);

    /** The newest shipped log lines matching a query string (Lucene syntax), as an array; only the local core ships logs. */
    com.fasterxml.jackson.databind.JsonNode searchLogs(String query, String namespace, int limit);

    /** Whether the cluster rolls failed rollouts back itself (the core does); otherwise Berth supervises them. */
    boolean rollsBackItself();

    /**
     * Creates or updates objects (kubectl apply). All documents are checked before any is written.
     *
     * @param defaultNamespace namespace for objects that name none
     * @param dryRun           check only, write nothing
     */
    List<ApplyResult> apply(List<HasMetadata> objects, String defaultNamespace, boolean dryRun);

    /**
     * Manifests as text (YAML or JSON, any number of documents, any kind the cluster knows), as {@code berth apply -f}
     * reads them; a document that cannot be read is refused (400, naming its field) before anything is written.
     */
    default List<ApplyResult> apply(String manifests, String defaultNamespace, boolean dryRun) {
        List<HasMetadata> objects;
        try {
            objects = dev.berth.platform.api.manifest.ManifestReader.anyKind(new io.fabric8.kubernetes.client.utils.KubernetesSerialization())
                    .read(manifests);
        } catch (dev.berth.platform.api.manifest.ManifestException e) {
            throw new EngineException(400, e.getMessage(), e.errors());
        }
        return apply(objects, defaultNamespace, dryRun);
    }

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

    /** Cordon, uncordon, drain or (on the local core) fail a node and recover a failed one. */
    HasMetadata node(String name, NodeAction action);
}
