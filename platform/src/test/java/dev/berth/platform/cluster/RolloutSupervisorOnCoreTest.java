package dev.berth.platform.cluster;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.api.LiveCoreProfile;
import dev.berth.platform.controller.RevisionSignals;
import dev.berth.platform.engine.KubernetesEngine;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rollout supervision against a live API server, the core's, where RolloutSupervisorTest has fabric8's CRUD mock and
 * plays the controllers itself: here the core's Deployment controller makes the ReplicaSets and writes the conditions
 * (ProgressDeadlineExceeded included), its scheduler places the pods on a {@link StandInKubelet}'s nodes, and the
 * stand-in reports them ready, never ready or crash-looping by image. The Deployments opt out of the core's own
 * automatic rollback ({@code berth.dev/auto-rollback: "false"}), so the core behaves as a cluster's control plane does
 * and the rollback is the supervisor's.
 */
@QuarkusTest
@TestProfile(LiveCoreProfile.class)
class RolloutSupervisorOnCoreTest {

    static final String NS = "rollout-oncore";
    static final String V1 = "127.0.0.1:5000/none/web@sha256:" + "1".repeat(64);
    static final String V2 = "127.0.0.1:5000/none/web@sha256:" + "2".repeat(64);
    static final String NEVER_READY = "127.0.0.1:5000/none/web@sha256:" + "b".repeat(64);
    static final String CRASHING = "127.0.0.1:5000/none/web@sha256:" + "c".repeat(64);

    @TestHTTPResource("/")
    URL root;

    KubernetesClient client;
    StandInKubelet kubelet;

    @BeforeEach
    void clusterAndNodes() {
        client = LiveCoreProfile.adminClient(root, NS);
        kubelet = StandInKubelet.start(client, "rollout").node("rollout-a", "4").node("rollout-b", "4").neverReady(NEVER_READY).crashLooping(CRASHING);
    }

    @AfterEach
    void cleanUp() {
        client.apps().deployments().inNamespace(NS).delete();
        await().atMost(15, SECONDS).until(() -> client.apps().replicaSets().inNamespace(NS).list().getItems().isEmpty());
        kubelet.close();
        client.v1().events().inNamespace(NS).delete();
        await().atMost(15, SECONDS).until(() -> client.pods().inNamespace(NS).list().getItems().isEmpty()
                && client.nodes().withLabel(StandInKubelet.NODE_LABEL).list().getItems().isEmpty());
        assertThat(kubelet.failures()).isEmpty();
        client.close();
    }

    RolloutSupervisor supervisor() {
        return new RolloutSupervisor(new KubernetesEngine(client), RolloutSupervisor.DEFAULT_CRASH_LOOP_RESTARTS);
    }

    /** Server-side applied, as the pipeline deploys: two replicas, one surged at a time, never one unavailable. */
    void deploy(String image, int progressDeadlineSeconds) {
        Deployment d = new DeploymentBuilder().withNewMetadata().withName("web").withNamespace(NS)
                .addToAnnotations(RevisionSignals.AUTO_ROLLBACK_ANNOTATION, "false").endMetadata()
                .withNewSpec().withReplicas(2).withProgressDeadlineSeconds(progressDeadlineSeconds)
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(1))
                .withMaxUnavailable(new IntOrString(0)).endRollingUpdate().endStrategy()
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
                .withNodeSelector(kubelet.nodeSelector()).withTerminationGracePeriodSeconds(5L)
                .addNewContainer().withName("web").withImage(image).endContainer().endSpec().endTemplate().endSpec().build();
        client.resource(d).fieldManager("test").forceConflicts().serverSideApply();
    }

    String image() {
        return client.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    List<Event> rolledBackEvents() {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> RolloutSupervisor.ROLLED_BACK.equals(e.getReason()) && "web".equals(e.getInvolvedObject().getName())).toList();
    }

    List<Pod> readyPods(String image) {
        return client.pods().inNamespace(NS).withLabel("app", "web").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && image.equals(p.getSpec().getContainers().get(0).getImage())
                        && p.getStatus() != null && p.getStatus().getConditions() != null
                        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .toList();
    }

    @Test
    void aHealthyRolloutCompletesAndIsLeftAlone() {
        deploy(V1, 30);
        RolloutSupervisor.Verdict first = supervisor().supervise(NS, "web", Duration.ofSeconds(30), line -> {});
        assertThat(first.outcome()).isEqualTo(RolloutSupervisor.Verdict.Outcome.COMPLETE);
        assertThat(first.revision()).isEqualTo(1);

        deploy(V2, 30);
        List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        RolloutSupervisor.Verdict second = supervisor().supervise(NS, "web", Duration.ofSeconds(30), progress::add);

        assertThat(second.outcome()).isEqualTo(RolloutSupervisor.Verdict.Outcome.COMPLETE);
        assertThat(second.revision()).isEqualTo(2);
        assertThat(second.reason()).isEqualTo("deployment \"web\" successfully rolled out");
        assertThat(progress).last().isEqualTo("deployment \"web\" successfully rolled out");
        assertThat(image()).isEqualTo(V2);
        assertThat(readyPods(V2)).hasSize(2);
        assertThat(rolledBackEvents()).isEmpty();
    }

    @Test
    void aRevisionThatNeverGetsReadyIsRolledBackWhenTheCoreReportsTheProgressDeadline() {
        deploy(V1, 5);
        assertThat(supervisor().supervise(NS, "web", Duration.ofSeconds(30), line -> {}).outcome())
                .isEqualTo(RolloutSupervisor.Verdict.Outcome.COMPLETE);

        deploy(NEVER_READY, 5);
        RolloutSupervisor.Verdict verdict = supervisor().supervise(NS, "web", Duration.ofSeconds(60), line -> {});

        assertThat(verdict.outcome()).isEqualTo(RolloutSupervisor.Verdict.Outcome.ROLLED_BACK);
        assertThat(verdict.revision()).isEqualTo(1);
        assertThat(verdict.reason()).isEqualTo("Rolled back from revision 2 to the template of revision 1: "
                + "ProgressDeadlineExceeded: deployment \"web\" exceeded its progress deadline");
        assertThat(image()).isEqualTo(V1);
        // what kubectl describe shows: the supervisor's Warning on the Deployment, and the rollout back on V1
        await().atMost(5, SECONDS).until(() -> rolledBackEvents().size() == 1);
        assertThat(rolledBackEvents().get(0).getType()).isEqualTo("Warning");
        assertThat(rolledBackEvents().get(0).getMessage()).isEqualTo(verdict.reason());
        assertThat(rolledBackEvents().get(0).getSource().getComponent()).isEqualTo(RolloutSupervisor.COMPONENT);
        await().atMost(30, SECONDS).untilAsserted(() -> assertThat(client.apps().deployments().inNamespace(NS).withName("web").get()
                .getStatus().getConditions()).anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Progressing");
                    assertThat(c.getStatus()).isEqualTo("True");
                    assertThat(c.getReason()).isEqualTo("NewReplicaSetAvailable");
                }));
        assertThat(readyPods(V1)).hasSize(2);
    }

    @Test
    void aCrashLoopingRevisionIsRolledBackLongBeforeTheDeadlineAndAFailedFirstRevisionChangesNothing() {
        deploy(CRASHING, 600);
        RolloutSupervisor.Verdict first = supervisor().supervise(NS, "web", Duration.ofSeconds(30), line -> {});
        assertThat(first.outcome()).isEqualTo(RolloutSupervisor.Verdict.Outcome.FAILED);
        assertThat(first.reason()).startsWith("CrashLoop: container web of pod web-").endsWith("no earlier revision to roll back to");
        assertThat(image()).isEqualTo(CRASHING);
        assertThat(rolledBackEvents()).isEmpty();

        deploy(V1, 600); // the fix: revision 2
        assertThat(supervisor().supervise(NS, "web", Duration.ofSeconds(30), line -> {}).outcome())
                .isEqualTo(RolloutSupervisor.Verdict.Outcome.COMPLETE);

        deploy(CRASHING, 600); // revision 3 crashes again: back to 2 at once, the 600 s deadline far off
        RolloutSupervisor.Verdict verdict = supervisor().supervise(NS, "web", Duration.ofSeconds(30), line -> {});
        assertThat(verdict.outcome()).isEqualTo(RolloutSupervisor.Verdict.Outcome.ROLLED_BACK);
        assertThat(verdict.revision()).isEqualTo(2);
        assertThat(verdict.reason()).startsWith("Rolled back from revision 3 to the template of revision 2: CrashLoop: container web of pod web-")
                .endsWith("of revision 3 is in CrashLoopBackOff after 3 restarts, last exit 1 (Error)");
        assertThat(image()).isEqualTo(V1);
        await().atMost(5, SECONDS).until(() -> rolledBackEvents().size() == 1);

        assertThatThrownBy(() -> supervisor().supervise(NS, "nope", Duration.ofSeconds(1), line -> {}))
                .hasMessageContaining("deployments.apps \"nope\" not found");
    }
}
