package dev.berth.platform.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Optional;

/**
 * What differs between the clusters a {@link KubernetesEngine} talks to; everything else is the Kubernetes API through
 * the same fabric8 client. Two sites: the core on this machine ({@link LocalSite}) and a real cluster
 * ({@link ClusterSite}).
 */
public interface Site {

    /** Fails a node (its machine dies) or recovers it: only the local core simulates machines. */
    HasMetadata failOrRecover(KubernetesEngine engine, String node, NodeAction action);

    /**
     * Where a Service answers from this machine: the core's local port for it, or a port-forward on a cluster.
     *
     * @return empty when the Service has no address here
     */
    Optional<ServiceAddress> serviceAddress(KubernetesEngine engine, String namespace, String service);

    /** The newest shipped log lines matching a query string (the core's log search); {@code lines} is an array. */
    JsonNode searchLogs(String query, String namespace, int limit);

    /**
     * Whether the cluster rolls a failed rollout back by itself (the core's deployment controller does; a real
     * cluster does not, so Berth supervises rollouts there).
     */
    boolean rollsBackItself();

    /** How to reach the cluster, for messages. */
    String describe(KubernetesEngine engine);
}
