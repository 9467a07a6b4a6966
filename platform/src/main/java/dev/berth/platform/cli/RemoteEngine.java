package dev.berth.platform.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.engine.ApplyResult;
import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.EngineException;
import dev.berth.platform.engine.NodeAction;
import dev.berth.platform.engine.RolloutAction;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.WatchEvent;
import dev.berth.support.problem.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@link Engine} the CLI uses for the local engine: the core's REST API over HTTP with the bearer token from
 * the token file. Problems the core answers become {@link EngineException}s with the same status and fields.
 */
public final class RemoteEngine implements Engine {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI server;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final KubernetesSerialization json = new KubernetesSerialization();

    public RemoteEngine(URI server, String token) {
        this.server = server;
        this.token = token;
    }

    /** Raw manifest text, as {@code berth apply -f} reads it. */
    public List<ApplyResult> apply(String manifests, String namespace, boolean dryRun) {
        HttpRequest request = request("/berth/v1/apply" + query("namespace", namespace, "dryRun", Boolean.toString(dryRun)))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(manifests)).build();
        JsonNode results = MAPPER.valueToTree(send(request, JsonNode.class)).path("results");
        List<ApplyResult> out = new ArrayList<>();
        results.forEach(r -> out.add(new ApplyResult(r.path("kind").asText(), r.path("namespace").asText(), r.path("name").asText(),
                ApplyResult.Action.valueOf(r.path("action").asText()), r.path("resourceVersion").asText())));
        return out;
    }

    @Override
    public List<ApplyResult> apply(List<HasMetadata> objects, String defaultNamespace, boolean dryRun) {
        KubernetesList list = new KubernetesList();
        list.setItems(objects);
        return apply(json.asJson(list), defaultNamespace, dryRun);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> Optional<T> get(ResourceKind kind, String namespace, String name) {
        String path = kind.namespaced()
                ? "/berth/v1/namespaces/" + new ObjectKey(kind, namespace, name).namespace() + "/" + kind.plural() + "/" + name
                : "/berth/v1/" + kind.plural() + "/" + name;
        try {
            return Optional.of((T) json.unmarshal(sendForBody(request(path).GET().build())));
        } catch (EngineException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> List<T> list(ResourceKind kind, String namespace, String labelSelector) {
        String body = sendForBody(request("/berth/v1/" + kind.plural() + query("namespace", namespace, "labelSelector", labelSelector)).GET().build());
        KubernetesList list = json.unmarshal(body, KubernetesList.class);
        return (List<T>) (List<?>) list.getItems();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T update(T object) {
        ObjectKey key = ObjectKey.of(object);
        HttpRequest request = request("/berth/v1/namespaces/" + key.namespace() + "/" + key.kind().plural() + "/" + key.name())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json.asJson(object))).build();
        return (T) json.unmarshal(sendForBody(request));
    }

    @Override
    public boolean delete(ResourceKind kind, String namespace, String name) {
        try {
            sendForBody(request("/berth/v1/namespaces/" + new ObjectKey(kind, namespace, name).namespace() + "/" + kind.plural() + "/" + name).DELETE().build());
            return true;
        } catch (EngineException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public HasMetadata scale(ResourceKind kind, String namespace, String name, int replicas) {
        HttpRequest request = request("/berth/v1/namespaces/" + new ObjectKey(kind, namespace, name).namespace() + "/" + kind.plural() + "/" + name + "/scale")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"replicas\":" + replicas + "}")).build();
        return json.unmarshal(sendForBody(request));
    }

    @Override
    public Deployment rollout(String namespace, String name, RolloutAction action) {
        String verb = action.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        String revision = action instanceof RolloutAction.Undo u ? "?toRevision=" + u.toRevision() : "";
        return json.unmarshal(sendForBody(request("/berth/v1/namespaces/" + new ObjectKey(ResourceKind.DEPLOYMENT, namespace, name).namespace()
                + "/deployments/" + name + "/rollout/" + verb + revision).POST(HttpRequest.BodyPublishers.noBody()).build()));
    }

    @Override
    public AutoCloseable watch(ResourceKind kind, String namespace, String labelSelector, Consumer<WatchEvent> listener) {
        HttpRequest request = request("/berth/v1/watch/" + kind.plural() + query("namespace", namespace, "labelSelector", labelSelector))
                .header("Accept", "text/event-stream").GET().build();
        InputStream stream = sendForStream(request);
        Thread reader = new Thread(() -> readEvents(stream, listener), "berth-watch");
        reader.setDaemon(true);
        reader.start();
        return stream::close;
    }

    private void readEvents(InputStream stream, Consumer<WatchEvent> listener) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data:")) {
                    JsonNode event = MAPPER.readTree(line.substring(5).strip());
                    HasMetadata object = json.unmarshal(event.path("object").toString());
                    listener.accept(new WatchEvent(WatchEvent.Type.valueOf(event.path("type").asText()), ObjectKey.of(object), object,
                            Long.parseLong(object.getMetadata().getResourceVersion())));
                }
            }
        } catch (IOException e) {
            // the stream was closed by the caller or the core went away: the watch is over
        }
    }

    @Override
    public InputStream logs(String namespace, String pod, Integer tailLines, boolean follow) {
        return sendForStream(request("/berth/v1/namespaces/" + namespace + "/pods/" + pod + "/log"
                + query("tailLines", tailLines == null ? null : tailLines.toString(), "follow", Boolean.toString(follow))).GET().build());
    }

    @Override
    public HasMetadata node(String name, NodeAction action) {
        return json.unmarshal(sendForBody(request("/berth/v1/nodes/" + name + "/" + action.name().toLowerCase(java.util.Locale.ROOT))
                .POST(HttpRequest.BodyPublishers.noBody()).build()));
    }

    /** A plain GET returning JSON (for the core's own endpoints). */
    public JsonNode getJson(String path) {
        try {
            return MAPPER.readTree(sendForBody(request(path).GET().build()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void post(String path) {
        sendForBody(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofMinutes(2));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static String query(String... pairs) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null && !pairs[i + 1].isEmpty()) {
                q.append(q.length() == 0 ? "?" : "&").append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    private <T> T send(HttpRequest request, Class<T> type) {
        try {
            return MAPPER.readValue(sendForBody(request), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String sendForBody(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw problem(response.statusCode(), response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(503, "interrupted");
        }
    }

    private InputStream sendForStream(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() >= 400) {
                try (InputStream in = response.body()) {
                    throw problem(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return response.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(503, "interrupted");
        }
    }

    private EngineException unreachable(IOException e) {
        String why = e instanceof ConnectException ? "connection refused" : e.toString();
        return new EngineException(503, "the Berth core at " + server + " is not reachable (" + why + "); start it with ./berth up");
    }

    static EngineException problem(int status, String body) {
        try {
            JsonNode p = MAPPER.readTree(body);
            List<Problem.FieldError> errors = new ArrayList<>();
            p.path("errors").forEach(e -> errors.add(new Problem.FieldError(e.path("field").asText(), e.path("message").asText())));
            String detail = p.path("detail").asText(p.path("title").asText("HTTP " + status));
            return new EngineException(status, detail, errors);
        } catch (IOException | RuntimeException e) {
            return new EngineException(status, "HTTP " + status + ": " + body);
        }
    }
}
