package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.apiserver.GracefulDeletion;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the kubelet stops a deleted pod, with real processes: the pod leaves the API only once its process has exited
 * (after a preStop sleep too), and a later delete with a shorter grace period ends a stop in progress by the new deadline.
 */
class GracefulStopTest {

    static final ObjectKey POD = new ObjectKey(ResourceKind.POD, "default", "stubborn");
    /** Exits 2 s after SIGTERM; the loop lets the trap run within 0.1 s of the signal. */
    static final String SLOW_TO_STOP = "trap 'echo stopping; sleep 2; echo stopped; exit 0' TERM; echo up; while :; do sleep 0.1; done";

    @TempDir
    Path state;
    ObjectStore store;
    Kubelet kubelet;
    GracefulDeletion deletion;

    @BeforeEach
    void aKubeletRunningShell() {
        Clock clock = Clock.systemUTC();
        store = new ObjectStore(state.resolve("store"), new KubernetesSerialization(), clock, 100);
        kubelet = ContainerRestartLogsTest.shellKubelet(store, state, clock);
        deletion = new GracefulDeletion(store, clock);
    }

    @AfterEach
    void stop() throws Exception {
        kubelet.close();
        store.close();
    }

    Pod running() {
        store.create(new PodBuilder().withNewMetadata().withName(POD.name()).withNamespace(POD.namespace()).endMetadata()
                .withNewSpec().withNodeName("node-1").withTerminationGracePeriodSeconds(120L)
                .addNewContainer().withName("app").withImage("shell").withCommand("sh", "-c", "trap '' TERM; echo up; exec sleep 600").endContainer()
                .endSpec().build());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> store.<Pod>get(POD).orElseThrow()
                .getStatus().getContainerStatuses().get(0).getState().getRunning() != null);
        return store.<Pod>get(POD).orElseThrow();
    }

    /**
     * A pod with a {@code preStop: sleep} hook whose process takes its time to exit after SIGTERM (a Quarkus service's
     * shutdown delay, still answering requests): removed only once the process has exited, as upstream's kubelet does.
     * The preStop sleep once completed the process's shared exit future at its timeout, so the stop that followed saw
     * the process as gone at once: the pod left the API (and its port was released) while the process still served,
     * which a rollout's smoke test then reached through a kept-alive connection.
     */
    @Test
    void thePodStaysUntilItsProcessHasExitedAfterThePreStopSleep() {
        store.create(new PodBuilder().withNewMetadata().withName(POD.name()).withNamespace(POD.namespace()).endMetadata()
                .withNewSpec().withNodeName("node-1").withTerminationGracePeriodSeconds(30L)
                .addNewContainer().withName("app").withImage("shell").withCommand("sh", "-c", SLOW_TO_STOP)
                .withNewLifecycle().withNewPreStop().withNewSleep(1L).endPreStop().endLifecycle().endContainer()
                .endSpec().build());
        AtomicReference<String> containerId = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            var cs = store.<Pod>get(POD).orElseThrow().getStatus().getContainerStatuses().get(0);
            containerId.set(cs.getContainerID());
            return cs.getState().getRunning() != null;
        });
        long pid = Long.parseLong(containerId.get().substring("berth://".length(), containerId.get().indexOf('@')));
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();

        Instant deleted = Instant.now();
        assertThat(deletion.delete(store.<Pod>get(POD).orElseThrow(), null)).isPresent(); // terminating, 30 s grace

        // every poll: while the process lives the pod is still there; when the pod is gone the process is too
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            boolean alive = process.isAlive();
            boolean present = store.get(POD).isPresent();
            assertThat(present || !alive).as("pod removed while its process %d still runs", pid).isTrue();
            return !present;
        });
        // the preStop sleep (1 s) and the process's own 2 s after SIGTERM both came before the removal
        assertThat(Duration.between(deleted, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(process.isAlive()).isFalse();
    }

    /**
     * A pod being stopped with a long grace period, deleted again with a shorter one (kubectl delete --grace-period=N
     * on a terminating pod): the kubelet ends the stop by the new deadline, as upstream's kubelet kills again with the
     * shorter grace. The container ignores SIGTERM, so only the kill at the deadline ends it.
     */
    @Test
    void aShorterGraceEndsTheStopInProgressByItsDeadline() {
        Pod pod = running();
        Optional<Pod> terminating = deletion.delete(pod, null); // the pod's own 120 s
        assertThat(terminating).get().extracting(p -> p.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(120L);
        await().atMost(Duration.ofSeconds(10)).until(() -> kubelet.workers().get(POD) != null && kubelet.workers().get(POD).isStopping());
        // the process ignores SIGTERM: under its own grace the stop goes on
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> store.get(POD).isPresent());

        Instant shortened = Instant.now();
        // 2 s counted from the first delete (whole seconds): 2, or 1 when that is already past (see DeletionGrace)
        long grace = deletion.delete(pod, 2L).orElseThrow().getMetadata().getDeletionGracePeriodSeconds();
        assertThat(grace).isBetween(1L, 2L);

        // SIGTERM is ignored: only the kill at the shortened deadline (1–2 s, not 120 s) lets the kubelet remove the pod
        await().atMost(Duration.ofSeconds(30)).until(() -> store.get(POD).isEmpty());
        assertThat(Duration.between(shortened, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(grace));
    }
}
