package dev.berth.platform.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.support.problem.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The core on this machine: Services answer on the local port the core gives each ({@link ServiceRouting}), nodes are
 * simulated and can be failed, shipped logs can be searched, and the core's deployment controller rolls failed
 * rollouts back itself. Berth's own operations are the core's endpoints under {@code /berth/v1}.
 */
public final class LocalSite implements Site {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI server;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final KubernetesSerialization json = new KubernetesSerialization();

    public LocalSite(URI server, String token) {
        this.server = server;
        this.token = token;
    }

    @Override
    public HasMetadata failOrRecover(KubernetesEngine engine, String node, NodeAction action) {
        return json.unmarshal(send(request("/berth/v1/nodes/" + URLEncoder.encode(node, StandardCharsets.UTF_8) + "/"
                + action.name().toLowerCase(Locale.ROOT)).POST(HttpRequest.BodyPublishers.noBody()).build()));
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

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
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

    /** The core's {@code application/problem+json} answer as an EngineException with the same status and fields. */
    static EngineException problem(int status, String body) {
        try {
            JsonNode p = MAPPER.readTree(body);
            List<Problem.FieldError> errors = new ArrayList<>();
            p.path("errors").forEach(e -> errors.add(new Problem.FieldError(e.path("field").asText(), e.path("message").asText())));
            return new EngineException(status, p.path("detail").asText(p.path("title").asText("HTTP " + status)), errors);
        } catch (IOException | RuntimeException e) {
            return new EngineException(status, "HTTP " + status + ": " + body);
        }
    }
}
