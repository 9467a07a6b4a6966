package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.RolloutStatus;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Deployments of the test app on one core under test, and what rollout tests ask of them. */
final class Workloads {

    final CoreUnderTest core;
    final String image;

    Workloads(CoreUnderTest core, String image) {
        this.core = core;
        this.image = image;
    }

    Engine admin() {
        return core.admin();
    }

    /** A Deployment of the test app: maxSurge 1, maxUnavailable 0, as the services' manifests say; start-up takes a second. */
    String manifest(String name, int replicas, String version, String extraEnv, String annotations) {
        return manifest(name, replicas, version, 1000, extraEnv, annotations);
    }

    String manifest(String name, int replicas, String version, int startDelayMs, String extraEnv, String annotations) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  annotations: {%5$s}
                spec:
                  replicas: %2$d
                  strategy:
                    type: RollingUpdate
                    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
                  selector:
                    matchLabels: {app: %1$s}
                  template:
                    metadata:
                      labels: {app: %1$s}
                      annotations: {prometheus.io/scrape: "true", prometheus.io/path: /q/metrics, prometheus.io/port: "8080"}
                    spec:
                      terminationGracePeriodSeconds: 10
                      containers:
                        - name: app
                          image: %3$s
                          ports:
                            - {name: http, containerPort: 8080}
                          env:
                            - {name: VERSION, value: %4$s}
                            - {name: START_DELAY_MS, value: "%7$d"}
                %6$s
                          resources:
                            requests: {cpu: 50m, memory: 64Mi}
                            limits: {cpu: 500m, memory: 128Mi}
                          startupProbe:
                            httpGet: {path: /health/live, port: http}
                            periodSeconds: 1
                            failureThreshold: 30
                """.formatted(name, replicas, image, version, annotations, extraEnv == null ? "" : extraEnv, startDelayMs)
                + Manifests.probes(3) + Manifests.service(name);
    }

    Deployment deployment(String name) {
        return admin().<Deployment>get(ResourceKind.DEPLOYMENT, "default", name).orElseThrow();
    }

    List<ReplicaSet> replicaSets(String name) {
        Deployment d = deployment(name);
        return admin().<ReplicaSet>list(ResourceKind.REPLICASET, "default", null).stream().filter(rs -> Owners.isOwnedBy(rs, d)).toList();
    }

    RolloutStatus status(String name) {
        Deployment d = deployment(name);
        return RolloutStatus.of(d, replicaSets(name));
    }

    void awaitRolledOut(String name) {
        core.converge("default", Duration.ofSeconds(120), () -> {
            RolloutStatus s = status(name);
            assertThat(s.failed()).as(s.message()).isFalse();
            assertThat(s.done()).as(s.message()).isTrue();
        });
    }

    List<Pod> activePods(String app) {
        return admin().<Pod>list(ResourceKind.POD, "default", "app=" + app).stream().filter(PodStatuses::isActive).toList();
    }

    static String versionOf(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("VERSION")).map(EnvVar::getValue).findFirst().orElseThrow();
    }

    ServiceLoad load(String service) {
        return loadAt(URI.create("http://127.0.0.1:" + localPort(service) + "/"));
    }

    /** Four clients GETting {@code uri} until stopped (or 200,000 requests, or 3 minutes). */
    static ServiceLoad loadAt(URI uri) {
        HttpRequest get = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        return ServiceLoad.start(4, 200_000, Duration.ofMinutes(3), n -> get, r -> r.statusCode() == 200);
    }

    /**
     * Four clients POSTing to {@code uri}: the JDK's client retries a GET whose kept-alive connection closed under it,
     * never a POST, so every connection a replica drops with a request on it counts as a failure.
     */
    static ServiceLoad postsTo(URI uri) {
        HttpRequest post = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build();
        return ServiceLoad.start(4, 200_000, Duration.ofMinutes(3), n -> post, r -> r.statusCode() == 200);
    }

    /** The port of a Service's 127.0.0.1 listener (its proxy), once it has one. */
    int localPort(String service) {
        return Integer.parseInt(annotationOf(service, "berth.dev/local-port"));
    }

    /**
     * Where a client on this machine reaches a Service: its virtual address when it has one (a kernel path exactly when
     * running as root, asserted), its 127.0.0.1 listener otherwise.
     */
    URI serviceUri(String service) throws Exception {
        Optional<String> clusterIp = clusterIp(service);
        assertThat(clusterIp.isPresent()).as("a kernel path exactly when running as root").isEqualTo(dev.berth.platform.proxy.KernelRoutesTest.runningAsRoot());
        return URI.create(clusterIp.map(ip -> "http://" + ip + ":80/").orElse("http://127.0.0.1:" + localPort(service) + "/"));
    }

    /**
     * On the kernel path, the Service's rule sends every connection to its proxy (something needs its requests one by
     * one); nothing to check without one.
     */
    void awaitKernelRuleToProxy(String service) {
        Optional<String> clusterIp = clusterIp(service);
        clusterIp.ifPresent(ip -> core.converge("default", Duration.ofSeconds(10), () -> assertThat(kernelRule(ip, 80))
                .as("the kernel rule sends the Service's connections to its proxy")
                .endsWith("dnat ip to numgen random mod 1 map { 0 : 127.0.0.1 . " + localPort(service) + " }")));
    }

    /** A Service's virtual address on the kernel path, once its listener is up; empty when it has none. */
    Optional<String> clusterIp(String service) {
        localPort(service);
        return admin().<Service>get(ResourceKind.SERVICE, "default", service)
                .map(s -> s.getMetadata().getAnnotations().get("berth.dev/cluster-ip"));
    }

    private String annotationOf(String service, String annotation) {
        return await().atMost(30, SECONDS).until(() -> admin().<Service>get(ResourceKind.SERVICE, "default", service)
                .map(s -> s.getMetadata().getAnnotations() == null ? null : s.getMetadata().getAnnotations().get(annotation))
                .orElse(null), java.util.Objects::nonNull);
    }

    /** The kernel's rule for {@code address:port} as {@code nft list ruleset} prints it; empty when there is none. */
    static String kernelRule(String address, int port) throws Exception {
        Process p = new ProcessBuilder("nft", "list", "ruleset").redirectErrorStream(true).start();
        String rules = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("nft list ruleset: " + rules).isZero();
        return rules.lines().filter(l -> l.contains("ip daddr " + address + " tcp dport " + port + " ")).findFirst().orElse("").strip();
    }

    /** {@code host . port} of each Ready endpoint of a Service, as a kernel rule names them. */
    List<String> readyEndpoints(String service) {
        return admin().<io.fabric8.kubernetes.api.model.Endpoints>get(ResourceKind.ENDPOINTS, "default", service).stream()
                .flatMap(ep -> ep.getSubsets() == null ? java.util.stream.Stream.empty() : ep.getSubsets().stream())
                .flatMap(s -> s.getAddresses() == null ? java.util.stream.Stream.empty()
                        : s.getAddresses().stream().map(a -> a.getIp() + " . " + s.getPorts().get(0).getPort()))
                .toList();
    }

    /** Requests the core's proxy of a Service has answered so far ({@code berth_proxy_requests_total}, every revision and code). */
    long proxiedRequests(String service) throws Exception {
        String metrics = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(core.process.url() + "/q/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return Math.round(metrics.lines().filter(l -> l.startsWith("berth_proxy_requests_total{") && l.contains("service=\"" + service + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum());
    }

    Set<String> hashes(String name) {
        return replicaSets(name).stream().map(rs -> rs.getMetadata().getLabels().get("pod-template-hash")).collect(Collectors.toSet());
    }

}
