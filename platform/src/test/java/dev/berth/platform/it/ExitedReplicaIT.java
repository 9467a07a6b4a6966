package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.engine.Engine;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.WatchEvent;
import dev.berth.platform.testapp.TestImages;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A replica whose process exits leaves its Service at once: the kubelet marks its pod not Ready when the process
 * ends, so the Endpoints and the proxy drop it without waiting for the readiness probe — here one that would take
 * 3 × 120 s to notice — and requests through the Service keep succeeding meanwhile.
 */
class ExitedReplicaIT {

    /** Started at once (startup probe every second), then probed for readiness every 2 minutes only. */
    static final String SLOW_READINESS = """
                      startupProbe:
                        httpGet: {path: /health/ready, port: http}
                        periodSeconds: 1
                        failureThreshold: 30
                      readinessProbe:
                        httpGet: {path: /health/ready, port: http}
                        periodSeconds: 120
                        failureThreshold: 3
            """;

    @Test
    void aKilledReplicaLeavesTheEndpointsAndTheProxyBeforeItsReadinessProbeCouldNotice() throws Exception {
        String image = TestImages.testApp("it", Path.of("target", "testapp"));
        String manifest = Manifests.testApp("exited", image, 2, "100m", null).replace(Manifests.probes(2), SLOW_READINESS);
        assertThat(manifest).contains("periodSeconds: 120");
        try (CoreUnderTest core = new CoreUnderTest("exited-replica", Map.of())) {
            core.start();
            Engine admin = core.admin();
            admin.apply(manifest, "default", false);
            core.converge("default", Duration.ofMinutes(1), () -> assertThat(readyAddresses(admin.<Endpoints>get(ResourceKind.ENDPOINTS, "default", "exited")
                    .orElseThrow())).hasSize(2));
            int port = ReplicaChaosIT.localPort(admin, "default", "exited");
            Pod victim = admin.<Pod>list(ResourceKind.POD, "default", "app=exited").stream().filter(PodStatuses::isReady).findFirst().orElseThrow();
            String name = victim.getMetadata().getName();
            List<List<String>> endpointVersions = new CopyOnWriteArrayList<>();

            try (AutoCloseable watch = admin.watch(ResourceKind.ENDPOINTS, "default", null, e -> {
                if (e.type() == WatchEvent.Type.MODIFIED && e.object() instanceof Endpoints ep && "exited".equals(ep.getMetadata().getName())) {
                    endpointVersions.add(readyAddresses(ep));
                }
            })) {
                ReplicaChaosIT.replicaProcess(victim).orElseThrow().destroyForcibly();

                // right after the kill: a request the proxy sends to the dead replica is refused and goes to the other
                for (int i = 0; i < 20; i++) {
                    HttpResponse<String> r = RealServicesIT.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                }
                await("the killed replica out of the ready endpoints").atMost(30, SECONDS)
                        .untilAsserted(() -> assertThat(endpointVersions).anySatisfy(ready -> assertThat(ready).doesNotContain(name)));
            }
        }
    }

    static List<String> readyAddresses(Endpoints endpoints) {
        return Stream.ofNullable(endpoints.getSubsets()).flatMap(List::stream)
                .map(EndpointSubset::getAddresses).filter(Objects::nonNull).flatMap(List::stream)
                .map(EndpointAddress::getTargetRef).map(ref -> ref.getName()).toList();
    }
}
