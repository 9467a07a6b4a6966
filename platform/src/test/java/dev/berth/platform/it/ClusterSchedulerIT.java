package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged core started as k8s/platform starts it ({@code BERTH_MODE=kubernetes-scheduler}), against fabric8's mock
 * API server through a kubeconfig: it runs no local engine, binds the pending pods that name it, and exports its
 * metrics on /q/metrics.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterSchedulerIT {

    KubernetesClient client;

    @Test
    void theCoreInSchedulerModeBindsPendingPodsAndExportsItsMetrics() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "it-state", "cluster-scheduler-" + System.nanoTime()).toAbsolutePath());
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: ci, user: {token: not-checked}}]
                contexts: [{name: mock, context: {cluster: mock, user: ci}}]
                current-context: mock
                """.formatted(client.getMasterUrl()));
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-a").endMetadata().withNewSpec().endSpec()
                .withNewStatus().addToAllocatable("cpu", new Quantity("2")).addToAllocatable("memory", new Quantity("4Gi"))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        for (String name : List.of("web-1", "web-2")) {
            client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                    .withNewSpec().withSchedulerName("berth").addNewContainer().withName("web").withImage("web@sha256:1").withNewResources()
                    .addToRequests("cpu", new Quantity("500m")).endResources().endContainer().endSpec().build()).create();
        }

        CoreUnderTest core = new CoreUnderTest("cluster-scheduler", Map.of(
                "BERTH_MODE", "kubernetes-scheduler",
                "KUBECONFIG", kubeconfig.toString(),
                "BERTH_SCHEDULER_IDENTITY", "scheduler-it",
                "BERTH_SCHEDULER_LEASE_NAMESPACE", "berth-system")).start();
        try {
            await("both pods bound").atMost(30, SECONDS).until(() -> client.bindings().inNamespace("shop").list().getItems().size() >= 2);
            List<Binding> bindings = client.bindings().inNamespace("shop").list().getItems();
            assertThat(bindings).allSatisfy(b -> assertThat(b.getTarget().getName()).isEqualTo("node-a"));
            List<String> bound = bindings.stream().map(b -> b.getMetadata().getName()).toList();
            assertThat(bound).containsExactlyInAnyOrder("web-1", "web-2");
            assertThat(client.leases().inNamespace("berth-system").withName("berth-scheduler").get().getSpec().getHolderIdentity())
                    .isEqualTo("scheduler-it");
            // no local engine: no virtual nodes in its own API
            assertThat(core.admin().list(dev.berth.platform.model.ResourceKind.NODE, null, null)).isEmpty();

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(core.process.url() + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("berth_scheduler_binds_total{result=\"bound\"} 2.0", "berth_scheduler_leader 1.0")
                    .contains("berth_scheduler_binding_duration_seconds_count 2");
        } finally {
            core.close();
        }
    }
}
