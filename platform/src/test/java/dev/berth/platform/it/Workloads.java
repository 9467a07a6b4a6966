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
        int port = await().atMost(30, SECONDS).until(() -> admin().<Service>get(ResourceKind.SERVICE, "default", service)
                .map(s -> s.getMetadata().getAnnotations() == null ? null : s.getMetadata().getAnnotations().get("berth.dev/local-port"))
                .map(Integer::parseInt).orElse(-1), p -> p > 0);
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10)).GET().build();
        return ServiceLoad.start(4, 200_000, Duration.ofMinutes(3), n -> get, r -> r.statusCode() == 200);
    }

    Set<String> hashes(String name) {
        return replicaSets(name).stream().map(rs -> rs.getMetadata().getLabels().get("pod-template-hash")).collect(Collectors.toSet());
    }

}
