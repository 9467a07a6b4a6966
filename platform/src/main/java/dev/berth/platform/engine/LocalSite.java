package dev.berth.platform.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.runtime.VirtualNodes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The core on this machine: Services answer on the local port the core gives each ({@link ServiceRouting}), nodes are
 * simulated and can be failed, shipped logs can be searched, and the core's deployment controller rolls failed
 * rollouts back itself. Log search is the core's endpoint {@code /berth/v1/logs}; the rest is the Kubernetes API.
 */
public final class LocalSite implements Site {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI server;
    private final String token;
    /** Made on first use (log search only): a JDK client starts a selector thread, which most commands never need. */
    private HttpClient http;

    public LocalSite(URI server, String token) {
        this.server = server;
        this.token = token;
    }

    /**
     * A node fails the way Kubernetes sees a dead machine: its Ready condition turns False (written through the Node's
     * {@code status} subresource, as the node lifecycle controller does), and the core's kubelet, which runs the
     * virtual nodes, kills their replicas and marks them lost. Recover writes Ready back. The change is recorded as an
     * Event on the Node, so {@code kubectl describe node} says who failed it and when.
     */
    @Override
    public HasMetadata failOrRecover(KubernetesEngine engine, String node, NodeAction action) {
        boolean fail = action == NodeAction.FAIL;
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        NodeCondition ready = new NodeConditionBuilder().withType("Ready").withStatus(fail ? "False" : "True")
                .withReason(fail ? "NodeFailed" : "KubeletReady")
                .withMessage(fail ? "berth nodes fail: the node is considered dead" : "kubelet is posting ready status")
                .withLastHeartbeatTime(now).withLastTransitionTime(now).build();
        var client = engine.client();
        Node changed = KubernetesEngine.call(() -> client.nodes().withName(node).editStatus(n -> {
            if (!"true".equals(n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(VirtualNodes.VIRTUAL_LABEL))) {
                throw new EngineException(400, "node " + node + " is not one of the core's virtual nodes: only those can be failed");
            }
            List<NodeCondition> conditions = new ArrayList<>(n.getStatus().getConditions() == null ? List.of() : n.getStatus().getConditions());
            conditions.removeIf(c -> "Ready".equals(c.getType()));
            conditions.add(ready);
            n.getStatus().setConditions(conditions);
            return n;
        }));
        Event event = new EventBuilder()
                .withNewMetadata().withGenerateName(node + ".").withNamespace("default").endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Node").withName(node)
                        .withUid(changed.getMetadata().getUid()).build())
                .withType(fail ? "Warning" : "Normal").withReason(fail ? "NodeNotReady" : "NodeReady")
                .withMessage("Node " + node + (fail ? " failed (berth nodes fail)" : " recovered (berth nodes recover)"))
                .withNewSource().withComponent("berth").endSource()
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1).build();
        KubernetesEngine.call(() -> client.v1().events().inNamespace("default").resource(event).create());
        return changed;
    }

    @Override
    public Optional<ServiceAddress> serviceAddress(KubernetesEngine engine, String namespace, String service) {
        Optional<Service> s = engine.get(dev.berth.platform.model.ResourceKind.SERVICE, namespace, service);
        return s.map(x -> x.getMetadata().getAnnotations() == null ? null : x.getMetadata().getAnnotations().get(ServiceRouting.LOCAL_PORT_ANNOTATION))
                .map(port -> ServiceAddress.fixed("http://127.0.0.1:" + port));
    }

    @Override
    public JsonNode searchLogs(String query, String namespace, int limit) {
        String path = "/berth/v1/logs?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&limit=" + limit
                + (namespace == null ? "" : "&namespace=" + URLEncoder.encode(namespace, StandardCharsets.UTF_8));
        try {
            return MAPPER.readTree(send(request(path).GET().build())).path("lines");
        } catch (IOException e) {
            throw new EngineException(502, "the core's log search answered what is not JSON: " + e.getMessage());
        }
    }

    @Override
    public boolean rollsBackItself() {
        return true;
    }

    @Override
    public String describe(KubernetesEngine engine) {
        return "the Berth core at " + server;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofMinutes(2));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        }
        return http;
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> response = http().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw problem(response.statusCode(), response.body());
            }
            return response.body();
        } catch (IOException e) {
            String why = e instanceof ConnectException ? "connection refused" : e.toString();
            throw new EngineException(503, "the Berth core at " + server + " is not reachable (" + why + "); start it with ./berth up");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(503, "interrupted");
        }
    }

    /** The core's {@code application/problem+json} answer as an EngineException with its status, detail and fields. */
    static EngineException problem(int status, String body) {
        try {
            JsonNode p = MAPPER.readTree(body);
            StringBuilder message = new StringBuilder(p.path("detail").asText(p.path("title").asText("HTTP " + status)));
            p.path("errors").forEach(e -> message.append("; ").append(e.path("field").asText()).append(": ").append(e.path("message").asText()));
            return new EngineException(status, message.toString());
        } catch (IOException | RuntimeException e) {
            return new EngineException(status, "HTTP " + status + ": " + body);
        }
    }
}
