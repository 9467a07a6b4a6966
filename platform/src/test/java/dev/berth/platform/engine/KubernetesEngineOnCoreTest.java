package dev.berth.platform.engine;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.api.LiveCoreProfile;
import dev.berth.platform.cluster.StandInKubelet;
import dev.berth.platform.controller.DeploymentPlanner;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.WatchEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes engine against a live API server, the core's, where KubernetesEngineTest has fabric8's CRUD mock: the
 * core's Deployment and ReplicaSet controllers make ReplicaSets and pods, its scheduler binds them to the nodes of a
 * {@link StandInKubelet} (which reports them Running and Ready as a kubelet would), and every verb meets controllers
 * writing status at the same time — which the mock never showed.
 */
@QuarkusTest
@TestProfile(LiveCoreProfile.class)
class KubernetesEngineOnCoreTest {

    static final String NS = "engine-oncore";
    static final String V1 = "127.0.0.1:5000/none/web@sha256:" + "1".repeat(64);
    static final String V2 = "127.0.0.1:5000/none/web@sha256:" + "2".repeat(64);

    @TestHTTPResource("/")
    URL root;

    KubernetesClient client;
    KubernetesEngine engine;
    StandInKubelet kubelet;

    @BeforeEach
    void engineAndNodes() throws URISyntaxException {
        client = LiveCoreProfile.adminClient(root, NS);
        engine = KubernetesEngine.local(root.toURI(), CoreApiTokens.ADMIN);
        kubelet = StandInKubelet.start(client, "engine").node("engine-a", "4").node("engine-b", "4");
    }

    @AfterEach
    void cleanUp() {
        client.apps().deployments().inNamespace(NS).delete();
        client.services().inNamespace(NS).delete();
        await().atMost(15, SECONDS).until(() -> client.apps().replicaSets().inNamespace(NS).list().getItems().isEmpty());
        kubelet.close();
        await().atMost(15, SECONDS).until(() -> client.pods().inNamespace(NS).list().getItems().isEmpty()
                && client.nodes().withLabel(StandInKubelet.NODE_LABEL).list().getItems().isEmpty());
        assertThat(kubelet.failures()).isEmpty();
        engine.close();
        client.close();
    }

    Deployment deployment(String image, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace(NS).addToLabels("app", "web").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
                .withNodeSelector(kubelet.nodeSelector()).withTerminationGracePeriodSeconds(5L)
                .addNewContainer().withName("web").withImage(image).endContainer().endSpec().endTemplate().endSpec().build();
    }

    List<ReplicaSet> owned() {
        Deployment d = client.apps().deployments().inNamespace(NS).withName("web").get();
        return client.apps().replicaSets().inNamespace(NS).list().getItems().stream().filter(rs -> Owners.isOwnedBy(rs, d))
                .sorted(Comparator.comparingLong(DeploymentPlanner::revision).reversed()).toList();
    }

    RolloutStatus rolloutStatus() {
        return RolloutStatus.of(client.apps().deployments().inNamespace(NS).withName("web").get(), owned());
    }

    List<Pod> readyPods() {
        return client.pods().inNamespace(NS).withLabel("app", "web").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null && p.getStatus().getConditions() != null
                        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .toList();
    }

    void rolledOut() {
        await().atMost(30, SECONDS).untilAsserted(() -> assertThat(rolloutStatus().message())
                .isEqualTo("deployment \"web\" successfully rolled out"));
    }

    @Test
    void applyCreatesThenFindsItUnchangedThenConfiguresAChange() {
        var service = new ServiceBuilder().withNewMetadata().withName("web").endMetadata().withNewSpec().addToSelector("app", "web")
                .addNewPort().withPort(80).endPort().endSpec().build();

        assertThat(engine.apply(List.of(deployment(V1, 1), service), NS, false)).extracting(ApplyResult::line)
                .containsExactly("deployment/web created", "service/web created");
        assertThat(engine.apply(List.of(deployment(V1, 1), service), NS, false)).extracting(ApplyResult::line)
                .containsExactly("deployment/web unchanged", "service/web unchanged");
        rolledOut(); // the controllers have written status since: still unchanged, as status is the server's
        assertThat(engine.apply(List.of(deployment(V1, 1)), NS, true)).extracting(ApplyResult::line).containsExactly("deployment/web unchanged");

        assertThat(engine.apply(List.of(deployment(V2, 1)), NS, false)).extracting(ApplyResult::line).containsExactly("deployment/web configured");
        rolledOut();
        assertThat(owned()).hasSize(2);
        assertThat(owned().get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(V2);
        assertThat(readyPods()).singleElement().satisfies(p -> {
            assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(V2);
            assertThat(p.getStatus().getPodIP()).startsWith("127.0.0.");
            assertThat(p.getSpec().getNodeName()).startsWith("engine-");
        });
    }

    @Test
    void scaleReachesTheReplicaSetTheCoreMadeAndItsPodsWhileTheControllersWriteStatus() {
        engine.apply(List.of(deployment(V1, 1)), NS, false);
        rolledOut();

        Deployment scaled = (Deployment) engine.scale(ResourceKind.DEPLOYMENT, NS, "web", 4);
        assertThat(scaled.getSpec().getReplicas()).isEqualTo(4);
        await().atMost(20, SECONDS).untilAsserted(() -> assertThat(readyPods()).hasSize(4));
        assertThat(owned()).singleElement().satisfies(rs -> assertThat(rs.getSpec().getReplicas()).isEqualTo(4));
        rolledOut();
        // at once again, while the controllers are still writing the first scale's status: a patch meets no conflict
        engine.scale(ResourceKind.DEPLOYMENT, NS, "web", 2);
        engine.scale(ResourceKind.DEPLOYMENT, NS, "web", 3);
        await().atMost(20, SECONDS).untilAsserted(() -> assertThat(readyPods()).hasSize(3));
        assertThat(client.apps().deployments().inNamespace(NS).withName("web").get().getStatus().getReadyReplicas()).isEqualTo(3);

        assertThatThrownBy(() -> engine.scale(ResourceKind.DEPLOYMENT, NS, "nope", 1)).isInstanceOf(EngineException.class)
                .satisfies(e -> assertThat(((EngineException) e).status()).isEqualTo(404)).hasMessageContaining("\"nope\" not found");
        assertThatThrownBy(() -> engine.scale(ResourceKind.SERVICE, NS, "web", 1)).hasMessageContaining("cannot be scaled");
    }

    @Test
    void restartRollsOutANewReplicaSetAndUndoReturnsToThePreviousTemplate() {
        engine.apply(List.of(deployment(V1, 2), new ServiceBuilder().withNewMetadata().withName("web").endMetadata().withNewSpec()
                .addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec().build()), NS, false);
        rolledOut();
        String first = owned().get(0).getMetadata().getName();

        Deployment restarted = engine.rollout(NS, "web", new RolloutAction.Restart());
        assertThat(restarted.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("kubectl.kubernetes.io/restartedAt");
        rolledOut();
        assertThat(owned()).hasSize(2);
        assertThat(DeploymentPlanner.revision(owned().get(0))).isEqualTo(2);
        assertThat(owned().get(0).getMetadata().getName()).isNotEqualTo(first);
        assertThat(readyPods()).hasSize(2).allSatisfy(p -> assertThat(Owners.isOwnedBy(p, owned().get(0))).isTrue());

        Deployment back = engine.rollout(NS, "web", new RolloutAction.Undo(0));
        assertThat(back.getSpec().getTemplate().getMetadata().getAnnotations()).doesNotContainKey("kubectl.kubernetes.io/restartedAt");
        assertThat(back.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("pod-template-hash");
        rolledOut();
        // the first ReplicaSet is the newest again (its revision moves to 3), and it owns the Ready pods
        assertThat(owned().get(0).getMetadata().getName()).isEqualTo(first);
        assertThat(DeploymentPlanner.revision(owned().get(0))).isEqualTo(3);
        await().atMost(20, SECONDS).untilAsserted(() -> assertThat(readyPods()).hasSize(2)
                .allSatisfy(p -> assertThat(p.getMetadata().getName()).startsWith(first)));

        assertThat(engine.rollout(NS, "web", new RolloutAction.Pause()).getSpec().getPaused()).isTrue();
        await().atMost(10, SECONDS).untilAsserted(() -> assertThat(client.apps().deployments().inNamespace(NS).withName("web").get().getStatus()
                .getConditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("DeploymentPaused")));
        assertThat(engine.rollout(NS, "web", new RolloutAction.Resume()).getSpec().getPaused()).isNull();
        assertThatThrownBy(() -> engine.rollout(NS, "web", new RolloutAction.Undo(7))).hasMessage("unable to find specified revision 7 in history");
    }

    @Test
    void drainCordonsAndEvictsThroughTheCoresEvictionApiAndThePodsComeBackElsewhere() {
        engine.apply(List.of(deployment(V1, 2)), NS, false);
        rolledOut();
        String drained = readyPods().get(0).getSpec().getNodeName();
        String other = drained.equals("engine-a") ? "engine-b" : "engine-a";
        List<String> evicted = readyPods().stream().filter(p -> p.getSpec().getNodeName().equals(drained)).map(p -> p.getMetadata().getUid()).toList();

        Node cordoned = (Node) engine.node(drained, NodeAction.DRAIN);
        assertThat(cordoned.getSpec().getUnschedulable()).isTrue();
        await().atMost(30, SECONDS).untilAsserted(() -> assertThat(readyPods()).hasSize(2)
                .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(other)));
        assertThat(client.pods().inAnyNamespace().withField("spec.nodeName", drained).list().getItems()).isEmpty();
        assertThat(evicted).allSatisfy(uid -> assertThat(client.pods().inNamespace(NS).list().getItems())
                .noneSatisfy(p -> assertThat(p.getMetadata().getUid()).isEqualTo(uid)));

        HasMetadata uncordoned = engine.node(drained, NodeAction.UNCORDON);
        assertThat(((Node) uncordoned).getSpec().getUnschedulable()).isNull();
        assertThat(((Node) engine.node(other, NodeAction.CORDON)).getSpec().getUnschedulable()).isTrue();
        assertThatThrownBy(() -> engine.node("engine-z", NodeAction.CORDON)).hasMessageContaining("not found");
    }

    @Test
    void watchDeliversTheCoresChangesAndRefusalsBecomeEngineExceptions() throws Exception {
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable watch = engine.watch(ResourceKind.POD, NS, "app=web", events::add)) {
            engine.apply(List.of(deployment(V1, 1)), NS, false);
            await().atMost(20, SECONDS).until(() -> events.stream().anyMatch(e -> e.type() == WatchEvent.Type.ADDED)
                    && events.stream().anyMatch(e -> e.type() == WatchEvent.Type.MODIFIED && e.object() instanceof Pod p
                            && p.getStatus() != null && "Running".equals(p.getStatus().getPhase())));
            String pod = events.get(0).key().name();
            assertThat(engine.delete(ResourceKind.POD, NS, pod)).isTrue();
            await().atMost(20, SECONDS).until(() -> events.stream().anyMatch(e -> e.type() == WatchEvent.Type.DELETED && e.key().name().equals(pod)));
            assertThat(events).allSatisfy(e -> assertThat(e.key().namespace()).isEqualTo(NS));
        }

        assertThat(engine.get(ResourceKind.DEPLOYMENT, NS, "nope")).isEmpty();
        assertThat(engine.delete(ResourceKind.DEPLOYMENT, NS, "nope")).isFalse();
        assertThatThrownBy(() -> engine.rollout(NS, "nope", new RolloutAction.Restart())).isInstanceOf(EngineException.class)
                .satisfies(e -> assertThat(((EngineException) e).status()).isEqualTo(404));
        assertThatThrownBy(() -> engine.logs(NS, "nope", 10, false)).isInstanceOf(EngineException.class)
                .satisfies(e -> assertThat(((EngineException) e).status()).isEqualTo(404));
        assertThatThrownBy(() -> engine.apply(List.of(deployment(V1, -1)), NS, false)).isInstanceOf(EngineException.class)
                .satisfies(e -> assertThat(((EngineException) e).status()).isEqualTo(422));
        assertThat(engine.get(ResourceKind.DEPLOYMENT, NS, "web")).isPresent();
    }
}
