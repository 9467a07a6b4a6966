package dev.berth.platform.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.ServiceAddress;
import dev.berth.platform.engine.RolloutAction;
import dev.berth.platform.engine.ServiceRouting;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.Service;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * {@code step: verify}: the smoke test, through the Services as a user reaches them — every service's readiness
 * ({@code /q/health/ready} UP), an order placed through order-service that comes back PAID (payment-service, PostgreSQL
 * and the call between them all working) and reads back PAID, and order-service's metrics present. It tries
 * {@code with.attempts} times, 2 s apart (a new JVM's first requests). When it still fails, every Deployment this run
 * changed is rolled back to the revision it had before ({@code rollout undo}), the step waits for that rollout and
 * fails the run with the smoke test's reason and what was rolled back.
 *
 * <p>The Services are found by the engine: on the local engine each has a port on 127.0.0.1; on Kubernetes each is
 * port-forwarded for the test (as {@code kubectl port-forward svc/…}); {@code with.url} overrides order-service's
 * address (an ingress, say).
 */
final class VerifyStep implements Step {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    static final String ORDER = "{\"customerId\":\"berth-pipeline-smoke\",\"currency\":\"EUR\",\"cardToken\":\"tok_visa\","
            + "\"items\":[{\"sku\":\"SMOKE-1\",\"quantity\":1,\"unitPrice\":\"1.00\"}]}";

    @Override
    public Outcome run(StageContext context) throws Exception {
        String namespace = context.with("namespace", "berth");
        String service = context.with("service", "order-service");
        List<String> healthOf = Arrays.asList(context.with("health", "order-service payment-service").trim().split("\\s+"));
        int attempts = Integer.parseInt(context.with("attempts", "3"));
        Duration requestTimeout = PipelineDefinition.duration(context.with("request-timeout", "30s"), "verify request-timeout");

        String failure = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            failure = smoke(context, namespace, service, healthOf, requestTimeout);
            if (failure == null) {
                return Outcome.succeeded("healthy, order placed and PAID, metrics present (" + String.join(", ", healthOf) + ")");
            }
            context.say("attempt " + attempt + " of " + attempts + " failed: " + failure);
            if (attempt < attempts) {
                Thread.sleep(2_000);
            }
        }
        throw new StepFailedException("smoke test failed: " + failure + rollBack(context));
    }

    /** @return null when every check passes, else the first failure */
    private String smoke(StageContext context, String namespace, String service, List<String> healthOf, Duration timeout) throws InterruptedException {
        try (Addresses addresses = new Addresses(context.engine(), namespace)) {
            return smoke(context, addresses, service, healthOf, timeout);
        }
    }

    private String smoke(StageContext context, Addresses addresses, String service, List<String> healthOf, Duration timeout) throws InterruptedException {
        try {
            String explicit = context.with("url", null);
            for (String s : healthOf) {
                String base = explicit != null && s.equals(service) ? explicit : addresses.url(s, explicit == null);
                if (base == null) {
                    continue; // reachable only through order-service here; the order below exercises it
                }
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).timeout(timeout).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() != 200 || !health.body().contains("\"UP\"")) {
                    return s + " /q/health/ready answered " + health.statusCode() + ": " + oneLine(health.body());
                }
                context.say(s + ": ready");
            }
            String base = explicit != null ? explicit : addresses.url(service, true);
            HttpResponse<String> placed = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/orders"))
                    .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString()).timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.ofString(ORDER)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode order = placed.statusCode() / 100 == 2 ? JSON.readTree(placed.body()) : null;
            if (order == null || !"PAID".equals(order.path("status").asText())) {
                return "POST /api/orders answered " + placed.statusCode() + " " + (order == null ? oneLine(placed.body()) : "with status " + order.path("status").asText())
                        + ", expected 201 PAID";
            }
            String id = order.path("id").asText();
            context.say("order " + id + " PAID");
            HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/orders/" + id)).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (read.statusCode() != 200 || !"PAID".equals(JSON.readTree(read.body()).path("status").asText())) {
                return "GET /api/orders/" + id + " answered " + read.statusCode() + ": " + oneLine(read.body()) + ", expected the PAID order";
            }
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String series : List.of("orders_created_total", "http_server_requests_seconds_count")) {
                if (metrics.statusCode() != 200 || !metrics.body().contains(series)) {
                    return "/q/metrics (" + metrics.statusCode() + ") has no " + series;
                }
            }
            context.say(service + ": metrics present");
            return null;
        } catch (java.io.IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (StepFailedException | dev.berth.platform.engine.EngineException e) {
            return e.getMessage();
        }
    }

    /** Where each Service answers from here: its local port on this machine, a port-forward on Kubernetes. */
    private static final class Addresses implements AutoCloseable {
        private final Engine engine;
        private final String namespace;
        private final List<AutoCloseable> forwards = new ArrayList<>();

        Addresses(Engine engine, String namespace) {
            this.engine = engine;
            this.namespace = namespace;
        }

        /** @return null when not required and the Service has no address here */
        String url(String name, boolean required) {
            java.util.Optional<ServiceAddress> address = engine.serviceAddress(namespace, name);
            if (address.isEmpty()) {
                if (required) {
                    throw new StepFailedException("service " + namespace + "/" + name + " has no local port (" + ServiceRouting.LOCAL_PORT_ANNOTATION
                            + "); give its address as with.url (BERTH_VERIFY_URL)");
                }
                return null;
            }
            forwards.add(address.get());
            return address.get().url();
        }

        @Override
        public void close() {
            for (AutoCloseable f : forwards) {
                try {
                    f.close();
                } catch (Exception e) {
                    throw new IllegalStateException("could not close a port-forward", e);
                }
            }
        }
    }

    /** Rolls back what this run deployed; @return what happened, for the failure message. */
    private static String rollBack(StageContext context) throws InterruptedException {
        List<RunState.Deployed> deployed = context.state().deployed();
        if (deployed.isEmpty()) {
            return "; this run deployed nothing, so nothing was rolled back";
        }
        List<String> done = new ArrayList<>();
        for (RunState.Deployed d : deployed) {
            if (d.previousRevision() == 0) {
                done.add(d.deployment() + " was created by this run: no earlier revision to return to");
                continue;
            }
            context.say("rolling back " + d.deployment() + " from revision " + d.revision() + " to " + d.previousRevision());
            context.engine().rollout(d.namespace(), d.deployment(), new RolloutAction.Undo(d.previousRevision()));
            var back = DeployStep.followRollout(context, context.engine(), d.namespace(), d.deployment());
            String line = d.deployment() + " rolled back to revision " + d.previousRevision() + " (now revision " + DeployStep.revision(context.engine(), back) + ")";
            context.state().rolledBack(line);
            done.add(line);
        }
        return "; " + String.join("; ", done);
    }

    private static String oneLine(String body) {
        String s = body.replaceAll("\\s+", " ").strip();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
