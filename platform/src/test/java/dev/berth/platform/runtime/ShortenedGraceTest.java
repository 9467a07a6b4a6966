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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod being stopped with a long grace period, deleted again with a shorter one (kubectl delete --grace-period=N on a
 * terminating pod): the kubelet ends the stop by the new deadline, as upstream's kubelet kills again with the shorter
 * grace. The container is a real process that ignores SIGTERM, so only the kill at the deadline ends it.
 */
class ShortenedGraceTest {

    static final ObjectKey POD = new ObjectKey(ResourceKind.POD, "default", "stubborn");

    @TempDir
    Path state;
    ObjectStore store;
    Kubelet kubelet;
    GracefulDeletion deletion;

    @BeforeEach
    void aKubeletRunningShell() {
        Clock clock = Clock.systemUTC();
        store = new ObjectStore(state.resolve("store"), new KubernetesSerialization(), clock, 100);
        PodDirectories dirs = new PodDirectories(state);
        LogStartOffsets starts = LogStartOffsets.load(state.resolve("log-start-offsets.json"));
        kubelet = ContainerRestartLogsTest.shellKubelet(store, state, dirs, starts, new LogTimes(state.resolve("log-times"), starts, clock), clock);
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
