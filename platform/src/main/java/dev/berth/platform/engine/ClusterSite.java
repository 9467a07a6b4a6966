package dev.berth.platform.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Locale;
import java.util.Optional;

/**
 * A real Kubernetes cluster: its nodes are real machines (not Berth's to fail), a Service is reached through a
 * port-forward (as {@code kubectl port-forward svc/NAME}), logs are searched in the cluster's own log store, and
 * nothing rolls a failed rollout back unless Berth supervises it.
 */
public final class ClusterSite implements Site {

    @Override
    public HasMetadata failOrRecover(KubernetesEngine engine, String node, NodeAction action) {
        throw new EngineException(400, "nodes " + action.name().toLowerCase(Locale.ROOT)
                + " simulates a machine on the local engine; a real cluster's nodes are not Berth's to fail");
    }

    @Override
    public Optional<ServiceAddress> serviceAddress(KubernetesEngine engine, String namespace, String service) {
        Service s = engine.<Service>get(dev.berth.platform.model.ResourceKind.SERVICE, namespace, service)
                .orElseThrow(() -> new EngineException(404, "services \"" + service + "\" not found in namespace " + namespace));
        if (s.getSpec() == null || s.getSpec().getPorts() == null || s.getSpec().getPorts().isEmpty()) {
            throw new EngineException(400, "service " + namespace + "/" + service + " has no port to forward");
        }
        int port = s.getSpec().getPorts().get(0).getPort();
        var forward = KubernetesEngine.call(() -> engine.client().services().inNamespace(namespace).withName(service).portForward(port));
        return Optional.of(new ServiceAddress("http://127.0.0.1:" + forward.getLocalPort(), forward));
    }

    @Override
    public JsonNode searchLogs(String query, String namespace, int limit) {
        throw new EngineException(400, "log search reads the logs the local core shipped; on a cluster, search its own log store (Kibana)");
    }

    @Override
    public boolean rollsBackItself() {
        return false;
    }

    @Override
    public String describe(KubernetesEngine engine) {
        var context = engine.client().getConfiguration().getCurrentContext();
        return engine.client().getMasterUrl() + (context == null ? "" : " (context " + context.getName() + ")");
    }
}
