package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.cluster.SecondaryScheduler;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
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

    /**
     * The cluster path against a live server with real controllers: the local core is the cluster, two more cores run
     * as its secondary scheduler (as k8s/platform runs them), elect a leader on the core's Leases, and bind the pods
     * that name {@code berth} through the core's Binding subresource, while the core's own scheduler places only the
     * pods that name it. The leader is killed; the other takes the Lease over and binds what comes next.
     */
    @Test
    void aSecondarySchedulerBindsALiveCoresPodsAndFailsOverOnItsLeases() throws Exception {
        try (CoreUnderTest cluster = new CoreUnderTest("live-cluster", Map.of()).start()) {
            KubernetesClient live = cluster.admin().client();
            for (String ns : List.of("shop", "berth-system")) {
                live.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            }
            // a Node registered through the API, as a real kubelet registers (then posts its status): the core's own
            // kubelet does not run it
            live.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-a").addToLabels("kubernetes.io/hostname", "node-a")
                    .endMetadata().withNewSpec().endSpec().build()).create();
            live.nodes().withName("node-a").editStatus(n -> new NodeBuilder(n).withNewStatus().addToAllocatable("cpu", new Quantity("2"))
                    .addToAllocatable("memory", new Quantity("4Gi")).addToAllocatable("pods", new Quantity("110"))
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
            Path kubeconfig = Files.createDirectories(cluster.state.resolve("scheduler")).resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: berth, cluster: {server: "%s"}}]
                    users: [{name: admin, user: {token: "%s"}}]
                    contexts: [{name: berth, context: {cluster: berth, user: admin}}]
                    current-context: berth
                    """.formatted(cluster.process.url(), CoreUnderTest.ADMIN));

            CoreUnderTest first = scheduler("sched-a", kubeconfig).start();
            CoreUnderTest second = null;
            try {
                await("sched-a leads").atMost(30, SECONDS).until(() -> "sched-a".equals(holder(live)));
                pod(live, "web-1", "berth");
                pod(live, "web-2", "berth");
                pod(live, "plain", null); // the API defaults schedulerName to default-scheduler: the core's own
                await("all three bound").atMost(30, SECONDS).untilAsserted(() -> assertThat(placements(live))
                        .containsEntry("web-1", "node-a").containsEntry("web-2", "node-a").containsEntry("plain", "node-a"));
                // a scheduler posts its Events off the binding's thread (client-go's broadcaster does too): they follow
                await("the Scheduled events").atMost(10, SECONDS).untilAsserted(() -> {
                    assertThat(scheduledBy(live, "web-1")).containsExactly(SecondaryScheduler.COMPONENT);
                    assertThat(scheduledBy(live, "web-2")).containsExactly(SecondaryScheduler.COMPONENT);
                    assertThat(scheduledBy(live, "plain")).containsExactly("default-scheduler");
                });

                second = scheduler("sched-b", kubeconfig).start();
                assertThat(holder(live)).isEqualTo("sched-a");
                first.crash();
                // the Lease runs out (15 s) unrenewed; the other candidate takes it
                await("sched-b leads").atMost(60, SECONDS).until(() -> "sched-b".equals(holder(live)));
                pod(live, "web-3", "berth");
                await("web-3 bound by the new leader").atMost(30, SECONDS).untilAsserted(() -> assertThat(placements(live))
                        .containsEntry("web-3", "node-a"));
                await("web-3's Scheduled event").atMost(10, SECONDS).untilAsserted(() -> assertThat(scheduledBy(live, "web-3"))
                        .containsExactly(SecondaryScheduler.COMPONENT));
            } finally {
                first.close();
                if (second != null) {
                    second.close();
                }
            }
        }
    }

    private static CoreUnderTest scheduler(String identity, Path kubeconfig) {
        return new CoreUnderTest("live-" + identity, Map.of("BERTH_MODE", "kubernetes-scheduler", "KUBECONFIG", kubeconfig.toString(),
                "BERTH_SCHEDULER_IDENTITY", identity, "BERTH_SCHEDULER_LEASE_NAMESPACE", "berth-system"));
    }

    private static String holder(KubernetesClient client) {
        Lease lease = client.leases().inNamespace("berth-system").withName("berth-scheduler").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static void pod(KubernetesClient client, String name, String schedulerName) {
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withSchedulerName(schedulerName).addToNodeSelector("kubernetes.io/hostname", "node-a")
                .addNewContainer().withName("web").withImage("127.0.0.1:5000/web:1").withNewResources()
                .addToRequests("cpu", new Quantity("500m")).endResources().endContainer().endSpec().build()).create();
    }

    /** Each pod's node, or why it has none (its PodScheduled condition) */
    private static Map<String, String> placements(KubernetesClient client) {
        Map<String, String> placed = new java.util.TreeMap<>();
        for (Pod p : client.pods().inNamespace("shop").list().getItems()) {
            placed.put(p.getMetadata().getName(), p.getSpec().getNodeName() != null ? p.getSpec().getNodeName()
                    : "unbound " + (p.getStatus() == null || p.getStatus().getConditions() == null ? "[]" : p.getStatus().getConditions().toString()));
        }
        return placed;
    }

    /** The components that reported the pod's Scheduled events. */
    private static List<String> scheduledBy(KubernetesClient client, String pod) {
        return client.v1().events().inNamespace("shop").withField("involvedObject.name", pod).list().getItems().stream()
                .filter(e -> "Scheduled".equals(e.getReason())).map(e -> e.getSource().getComponent()).toList();
    }
}
