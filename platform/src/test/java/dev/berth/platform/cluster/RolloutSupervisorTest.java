package dev.berth.platform.cluster;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.engine.KubernetesEngine;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
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

    SimulatedCluster cluster;

    @BeforeEach
    void simulate() {
        cluster = new SimulatedCluster(client);
    }

    RolloutSupervisor supervisor() {
        return new RolloutSupervisor(new KubernetesEngine(client), 3);
    }

    @Test
    void progressDeadlineExceededRollsBackToThePreviousTemplateWithAnEvent() {
        cluster.deployment(2, Map.of());
        cluster.status(1, 2, 0, true);

        RolloutSupervisor.Verdict verdict = supervisor().supervise("shop", "web", Duration.ofSeconds(10), line -> {});

        assertThat(verdict.outcome()).isEqualTo(RolloutSupervisor.Verdict.Outcome.ROLLED_BACK);
        assertThat(verdict.revision()).isEqualTo(1);
        assertThat(cluster.image()).isEqualTo("web:v1");
        assertThat(client.apps().deployments().inNamespace("shop").withName("web").get().getSpec().getTemplate().getMetadata().getLabels())
                .as("undo drops the ReplicaSet's hash label as kubectl does").doesNotContainKey("pod-template-hash");
        await().atMost(5, SECONDS).until(() -> cluster.rolledBackEvents().size() == 1);
        Event event = cluster.rolledBackEvents().get(0);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).isEqualTo("Rolled back from revision 2 to the template of revision 1: "
                + "ProgressDeadlineExceeded: deployment \"web\" exceeded its progress deadline");
    }

    @Test
    void aCrashLoopingNewRevisionIsRolledBackBeforeAnyDeadline() throws Exception {
        cluster.deployment(2, Map.of());
        cluster.status(1, 2, 0, false);
        cluster.pod(0, false);
        List<String> progress = new CopyOnWriteArrayList<>();
        CompletableFuture<RolloutSupervisor.Verdict> verdict = CompletableFuture.supplyAsync(
                () -> supervisor().supervise("shop", "web", Duration.ofSeconds(20), progress::add));

        await().atMost(5, SECONDS).until(() -> !progress.isEmpty());
        assertThat(verdict).as("a rollout in progress with a healthy new pod is left alone").isNotDone();
        assertThat(cluster.image()).isEqualTo("web:v2");

        cluster.pod(2, false); // restarting, not yet past the threshold (3)
        cluster.pod(3, true);  // the kubelet backs off: crash loop
        RolloutSupervisor.Verdict v = verdict.get(10, SECONDS);
        assertThat(v.outcome()).isEqualTo(RolloutSupervisor.Verdict.Outcome.ROLLED_BACK);
        assertThat(v.reason()).isEqualTo("Rolled back from revision 2 to the template of revision 1: CrashLoop: container web of pod web-h2-abcde "
                + "of revision 2 is in CrashLoopBackOff after 3 restarts, last exit 1 (Error)");
        assertThat(cluster.image()).isEqualTo("web:v1");
        await().atMost(5, SECONDS).until(() -> cluster.rolledBackEvents().size() == 1);
        assertThat(progress.get(0)).isEqualTo("Waiting for deployment \"web\" rollout to finish: 1 out of 2 new replicas have been updated...");
    }

    @Test
    void aCompleteRolloutAndAFailedFirstRevisionChangeNothing() {
        cluster.deployment(2, Map.of());
        cluster.status(2, 2, 2, false);

        RolloutSupervisor.Verdict done = supervisor().supervise("shop", "web", Duration.ofSeconds(5), line -> {});
        assertThat(done.outcome()).isEqualTo(RolloutSupervisor.Verdict.Outcome.COMPLETE);
        assertThat(done.revision()).isEqualTo(2);
        assertThat(cluster.image()).isEqualTo("web:v2");

        client.apps().replicaSets().inNamespace("shop").withName("web-h1").delete();
        cluster.status(1, 2, 0, true);
        RolloutSupervisor.Verdict first = supervisor().supervise("shop", "web", Duration.ofSeconds(5), line -> {});
        assertThat(first.outcome()).isEqualTo(RolloutSupervisor.Verdict.Outcome.FAILED);
        assertThat(first.reason()).endsWith("no earlier revision to roll back to");
        assertThat(cluster.image()).isEqualTo("web:v2");
        assertThat(cluster.rolledBackEvents()).isEmpty();

        assertThatThrownBy(() -> supervisor().supervise("shop", "nope", Duration.ofSeconds(1), line -> {}))
                .hasMessageContaining("deployments.apps \"nope\" not found");
        assertThatThrownBy(() -> new RolloutSupervisor(new KubernetesEngine(client), 0)).hasMessageContaining("at least 1");
    }
}
