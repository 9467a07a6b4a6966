package dev.berth.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.WatchEvent;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes engine against fabric8's mock API server in CRUD mode (no real API server can run here): reads,
 * scale, delete, rollout verbs, nodes and watches over a stateful fake cluster.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesEngineTest {

    KubernetesClient client;

    static Deployment deployment(String image, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName("order-service").withLabels(java.util.Map.of("app.kubernetes.io/name", "order-service")).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app.kubernetes.io/name", "order-service").endSelector()
                .withTemplate(template(image, "1")).endSpec().build();
    }

    static PodTemplateSpec template(String image, String version) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app.kubernetes.io/name", "order-service").endMetadata()
                .withNewSpec().addNewContainer().withName("order-service").withImage(image).withEnv(new EnvVar("VERSION", version, null)).endContainer()
                .endSpec().build();
    }

    @Test
    void applyCreatesNewObjectsInTheDefaultNamespace() {
        KubernetesEngine engine = new KubernetesEngine(client);
        var service = new ServiceBuilder().withNewMetadata().withName("order-service").endMetadata().withNewSpec().addNewPort().withPort(80).endPort()
                .endSpec().build();

        List<ApplyResult> created = engine.apply(List.of(deployment("reg/order@sha256:aa", 2), service), "berth", false);
        assertThat(created).extracting(ApplyResult::line).containsExactly("deployment/order-service created", "service/order-service created");
        assertThat(client.apps().deployments().inNamespace("berth").withName("order-service").get().getSpec().getReplicas()).isEqualTo(2);
        assertThat(client.services().inNamespace("berth").withName("order-service").get()).isNotNull();
        // updates are server-side applies, which this CRUD mock cannot do: KubernetesEngineApplyTest covers them
    }

    @Test
    void getListScaleDeleteAndTheirErrors() {
        KubernetesEngine engine = new KubernetesEngine(client);
        engine.apply(List.of(deployment("reg/order@sha256:aa", 2)), "berth", false);

        assertThat(engine.<Deployment>list(ResourceKind.DEPLOYMENT, "berth", "app.kubernetes.io/name=order-service")).hasSize(1);
        assertThat(engine.<Deployment>list(ResourceKind.DEPLOYMENT, "berth", "app.kubernetes.io/name=payment-service")).isEmpty();
        assertThat(engine.<Deployment>list(ResourceKind.DEPLOYMENT, null, null)).hasSize(1);
        assertThat(engine.get(ResourceKind.DEPLOYMENT, "berth", "nope")).isEmpty();

        Deployment scaled = (Deployment) engine.scale(ResourceKind.DEPLOYMENT, "berth", "order-service", 4);
        assertThat(scaled.getSpec().getReplicas()).isEqualTo(4);
        assertThatThrownBy(() -> engine.scale(ResourceKind.DEPLOYMENT, "berth", "nope", 1)).isInstanceOf(EngineException.class)
                .satisfies(e -> assertThat(((EngineException) e).status()).isEqualTo(404));
        assertThatThrownBy(() -> engine.scale(ResourceKind.SERVICE, "berth", "order-service", 1)).hasMessageContaining("cannot be scaled");

        assertThat(engine.delete(ResourceKind.DEPLOYMENT, "berth", "order-service")).isTrue();
        assertThat(engine.delete(ResourceKind.DEPLOYMENT, "berth", "order-service")).isFalse();
    }

    @Test
    void undoReappliesThePreviousReplicaSetsTemplateWithoutItsHash() {
        KubernetesEngine engine = new KubernetesEngine(client);
        engine.apply(List.of(deployment("reg/order@sha256:bb", 2)), "berth", false);
        Deployment d = client.apps().deployments().inNamespace("berth").withName("order-service").get();
        for (int revision = 1; revision <= 2; revision++) {
            PodTemplateSpec t = template(revision == 1 ? "reg/order@sha256:aa" : "reg/order@sha256:bb", Integer.toString(revision));
            t.getMetadata().getLabels().put("pod-template-hash", "h" + revision);
            client.apps().replicaSets().inNamespace("berth").resource(new ReplicaSetBuilder().withNewMetadata().withName("order-service-h" + revision)
                    .addToAnnotations("deployment.kubernetes.io/revision", Integer.toString(revision))
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("order-service").withUid(d.getMetadata().getUid())
                    .withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().withReplicas(revision == 2 ? 2 : 0).withNewSelector().addToMatchLabels("pod-template-hash", "h" + revision).endSelector()
                    .withTemplate(t).endSpec().build()).create();
        }

        Deployment back = engine.rollout("berth", "order-service", new RolloutAction.Undo(0));
        var container = back.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("reg/order@sha256:aa");
        assertThat(container.getEnv()).extracting(EnvVar::getValue).containsExactly("1");
        assertThat(back.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("pod-template-hash");

        assertThatThrownBy(() -> engine.rollout("berth", "order-service", new RolloutAction.Undo(7)))
                .hasMessage("unable to find specified revision 7 in history");
        Deployment restarted = engine.rollout("berth", "order-service", new RolloutAction.Restart());
        assertThat(restarted.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("kubectl.kubernetes.io/restartedAt");
        assertThat(engine.rollout("berth", "order-service", new RolloutAction.Pause()).getSpec().getPaused()).isTrue();
    }

    @Test
    void cordonDrainAndWhatARealClusterRefuses() {
        KubernetesEngine engine = new KubernetesEngine(client);
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-a").endMetadata().withNewSpec().endSpec().build()).create();

        HasMetadata cordoned = engine.node("worker-a", NodeAction.CORDON);
        assertThat(((io.fabric8.kubernetes.api.model.Node) cordoned).getSpec().getUnschedulable()).isTrue();
        assertThat(((io.fabric8.kubernetes.api.model.Node) engine.node("worker-a", NodeAction.UNCORDON)).getSpec().getUnschedulable()).isNull();
        assertThatThrownBy(() -> engine.node("worker-a", NodeAction.FAIL)).hasMessageContaining("not Berth's to fail");
        assertThatThrownBy(() -> engine.node("worker-z", NodeAction.CORDON)).hasMessageContaining("not found");
    }

    @Test
    void watchDeliversChangesUntilClosed() throws Exception {
        KubernetesEngine engine = new KubernetesEngine(client);
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable watch = engine.watch(ResourceKind.POD, "berth", null, events::add)) {
            client.pods().inNamespace("berth").resource(new PodBuilder().withNewMetadata().withName("p1").endMetadata().withNewSpec()
                    .addNewContainer().withName("c").withImage("i").endContainer().endSpec().build()).create();
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> e.type() == WatchEvent.Type.ADDED
                    && e.key().name().equals("p1")));
        }
    }
}
