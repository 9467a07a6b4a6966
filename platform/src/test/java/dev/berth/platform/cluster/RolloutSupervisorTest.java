package dev.berth.platform.cluster;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.engine.KubernetesEngine;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Rollout supervision on fabric8's mock API server (CRUD): the test plays the Deployment controller and the kubelet
 * (ReplicaSets, status conditions, pod container statuses); the supervisor must roll back exactly when Kubernetes
 * reports ProgressDeadlineExceeded or the new revision's pods crash-loop, with an event saying why, and leave a good
 * rollout alone.
 */
@EnableKubernetesMockClient(crud = true)
class RolloutSupervisorTest {

    KubernetesClient client;

    static PodTemplateSpec template(String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage(image).endContainer().endSpec().build();
    }

    /** Deployment web at revision {@code revisions} (each revision an image web:vN and its ReplicaSet), 2 replicas. */
    Deployment deployment(int revisions) {
        Deployment d = client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withTemplate(template("web:v" + revisions)).endSpec().build()).create();
        for (int r = 1; r <= revisions; r++) {
            PodTemplateSpec t = template("web:v" + r);
            t.getMetadata().getLabels().put("pod-template-hash", "h" + r);
            client.apps().replicaSets().inNamespace("shop").resource(new ReplicaSetBuilder().withNewMetadata().withName("web-h" + r)
                    .addToAnnotations("deployment.kubernetes.io/revision", Integer.toString(r)).addNewOwnerReference().withApiVersion("apps/v1")
                    .withKind("Deployment").withName("web").withUid(d.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().withReplicas(r == revisions ? 1 : 2).withNewSelector().addToMatchLabels("app", "web").addToMatchLabels("pod-template-hash", "h" + r)
                    .endSelector().withTemplate(t).endSpec().build()).create();
        }
        return d;
    }

    void status(Deployment d, int updated, int available, boolean deadlineExceeded) {
        Deployment current = client.apps().deployments().inNamespace("shop").withName("web").get();
        current.setStatus(new DeploymentStatusBuilder().withObservedGeneration(current.getMetadata().getGeneration() == null ? 1L : current.getMetadata().getGeneration())
                .withReplicas(Math.max(2, updated + 1)).withUpdatedReplicas(updated).withAvailableReplicas(available)
                .withConditions(deadlineExceeded
                        ? new DeploymentConditionBuilder().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                                .withMessage("ReplicaSet \"web-h2\" has timed out progressing.").build()
                        : new DeploymentConditionBuilder().withType("Progressing").withStatus("True").withReason("ReplicaSetUpdated").build())
                .build());
        client.apps().deployments().inNamespace("shop").resource(current).updateStatus();
    }

    /** A pod of revision 2 whose container has restarted {@code restarts} times, in CrashLoopBackOff when asked. */
    Pod pod(int restarts, boolean backOff) {
        ReplicaSet rs = client.apps().replicaSets().inNamespace("shop").withName("web-h2").get();
        var status = new ContainerStatusBuilder().withName("web").withImage("web:v2").withRestartCount(restarts).withReady(false);
        if (backOff) {
            status.withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                    .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated().endLastState();
        } else {
            status.withNewState().withNewRunning().endRunning().endState();
        }
        return client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("web-h2-abcde").addToLabels("app", "web")
                .addToLabels("pod-template-hash", "h2").addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web-h2")
                .withUid(rs.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("web:v2").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withContainerStatuses(status.build()).endStatus().build()).createOr(c -> c.update());
    }

    RolloutSupervisor supervisor() {
        return new RolloutSupervisor(new KubernetesEngine(client), 3);
    }

    String image() {
        return client.apps().deployments().inNamespace("shop").withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    List<Event> rolledBackEvents() {
        return client.v1().events().inNamespace("shop").list().getItems().stream()
                .filter(e -> "web".equals(e.getInvolvedObject().getName()) && RolloutSupervisor.ROLLED_BACK.equals(e.getReason())).toList();
    }

    @Test
    void progressDeadlineExceededRollsBackToThePreviousTemplateWithAnEvent() {
        Deployment d = deployment(2);
        status(d, 1, 0, true);

        RolloutSupervisor.Verdict verdict = supervisor().supervise("shop", "web", Duration.ofSeconds(10), line -> {});

        assertThat(verdict.outcome()).isEqualTo(RolloutSupervisor.Verdict.Outcome.ROLLED_BACK);
        assertThat(verdict.revision()).isEqualTo(1);
        assertThat(image()).isEqualTo("web:v1");
        assertThat(client.apps().deployments().inNamespace("shop").withName("web").get().getSpec().getTemplate().getMetadata().getLabels())
                .as("undo drops the ReplicaSet's hash label as kubectl does").doesNotContainKey("pod-template-hash");
        await().atMost(5, SECONDS).until(() -> rolledBackEvents().size() == 1);
        Event event = rolledBackEvents().get(0);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).isEqualTo("Rolled back from revision 2 to the template of revision 1: "
                + "ProgressDeadlineExceeded: deployment \"web\" exceeded its progress deadline");
    }

    @Test
    void aCrashLoopingNewRevisionIsRolledBackBeforeAnyDeadline() throws Exception {
        Deployment d = deployment(2);
        status(d, 1, 0, false);
        pod(0, false);
        List<String> progress = new CopyOnWriteArrayList<>();
        CompletableFuture<RolloutSupervisor.Verdict> verdict = CompletableFuture.supplyAsync(
                () -> supervisor().supervise("shop", "web", Duration.ofSeconds(20), progress::add));

        await().atMost(5, SECONDS).until(() -> !progress.isEmpty());
        assertThat(verdict).as("a rollout in progress with a healthy new pod is left alone").isNotDone();
        assertThat(image()).isEqualTo("web:v2");

        pod(2, false); // restarting, not yet past the threshold (3)
        pod(3, true);  // the kubelet backs off: crash loop
        RolloutSupervisor.Verdict v = verdict.get(10, SECONDS);
        assertThat(v.outcome()).isEqualTo(RolloutSupervisor.Verdict.Outcome.ROLLED_BACK);
        assertThat(v.reason()).isEqualTo("Rolled back from revision 2 to the template of revision 1: CrashLoop: container web of pod web-h2-abcde "
                + "of revision 2 is in CrashLoopBackOff after 3 restarts, last exit 1 (Error)");
        assertThat(image()).isEqualTo("web:v1");
        await().atMost(5, SECONDS).until(() -> rolledBackEvents().size() == 1);
        assertThat(progress.get(0)).isEqualTo("Waiting for deployment \"web\" rollout to finish: 1 out of 2 new replicas have been updated...");
    }

    @Test
    void aCompleteRolloutAndAFailedFirstRevisionChangeNothing() {
        Deployment d = deployment(2);
        status(d, 2, 2, false);
        // replicas(2) == updated(2) only when the old ReplicaSet is gone from the status
        Deployment current = client.apps().deployments().inNamespace("shop").withName("web").get();
        current.getStatus().setReplicas(2);
        client.apps().deployments().inNamespace("shop").resource(current).updateStatus();

        RolloutSupervisor.Verdict done = supervisor().supervise("shop", "web", Duration.ofSeconds(5), line -> {});
        assertThat(done.outcome()).isEqualTo(RolloutSupervisor.Verdict.Outcome.COMPLETE);
        assertThat(done.revision()).isEqualTo(2);
        assertThat(image()).isEqualTo("web:v2");

        client.apps().replicaSets().inNamespace("shop").withName("web-h1").delete();
        status(d, 1, 0, true);
        RolloutSupervisor.Verdict first = supervisor().supervise("shop", "web", Duration.ofSeconds(5), line -> {});
        assertThat(first.outcome()).isEqualTo(RolloutSupervisor.Verdict.Outcome.FAILED);
        assertThat(first.reason()).endsWith("no earlier revision to roll back to");
        assertThat(image()).isEqualTo("web:v2");
        assertThat(rolledBackEvents()).isEmpty();

        assertThatThrownBy(() -> supervisor().supervise("shop", "nope", Duration.ofSeconds(1), line -> {}))
                .hasMessageContaining("deployments.apps \"nope\" not found");
        assertThatThrownBy(() -> new RolloutSupervisor(new KubernetesEngine(client), 0)).hasMessageContaining("at least 1");
    }
}
