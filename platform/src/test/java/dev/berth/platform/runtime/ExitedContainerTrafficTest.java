package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.apiserver.GracefulDeletion;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container that exits on its own leaves its Services at the exit itself, before the kubelet has written the exit
 * to the pod's status (the Endpoints change follows that write, a store round trip and the routing's reaction later:
 * meanwhile the kernel path sent new connections to a dead port — the replica chaos run's orders left PENDING), and
 * is put back when its restart is ready. A pod being stopped is not put back.
 */
class ExitedContainerTrafficTest {

    static final ObjectKey POD = new ObjectKey(ResourceKind.POD, "default", "flaky");
    /** The first instance exits with 3 after half a second; the restart stays up. */
    static final String EXITS_ONCE = "if [ -f restarted ]; then echo again; exec sleep 600; fi; touch restarted; echo up; sleep 0.5; exit 3";

    /** What the kubelet told the Services, and what the pod's status said at that moment. */
    record Call(String what, String pod, int restartsInStatus, boolean runningInStatus) {
    }

    @TempDir
    Path state;
    ObjectStore store;
    Kubelet kubelet;
    final List<Call> calls = new CopyOnWriteArrayList<>();

    @BeforeEach
    void aKubeletRecordingItsTrafficCalls() {
        Clock clock = Clock.systemUTC();
        store = new ObjectStore(state.resolve("store"), new KubernetesSerialization(), clock, 100);
        PodDirectories dirs = new PodDirectories(state);
        LogStartOffsets starts = LogStartOffsets.load(state.resolve("log-start-offsets.json"));
        kubelet = ContainerRestartLogsTest.shellKubelet(store, state, dirs, starts, new LogTimes(state.resolve("log-times"), starts, clock), clock,
                new TrafficDrain() {
                    @Override
                    public CompletionStage<Void> drain(Pod pod, Duration timeout) {
                        calls.add(call("drain", pod));
                        return CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public void exited(Pod pod) {
                        calls.add(call("exited", pod));
                    }

                    @Override
                    public void readyAgain(Pod pod) {
                        calls.add(call("readyAgain", pod));
                    }
                });
    }

    Call call(String what, Pod pod) {
        ContainerStatus cs = store.<Pod>get(POD).orElseThrow().getStatus().getContainerStatuses().get(0);
        return new Call(what, pod.getMetadata().getName(), cs.getRestartCount(), cs.getState().getRunning() != null);
    }

    @AfterEach
    void stop() throws Exception {
        kubelet.close();
        store.close();
    }

    @Test
    void anExitedContainerLeavesItsServicesBeforeItsStatusSaysSoAndComesBackWhenReady() {
        store.create(new PodBuilder().withNewMetadata().withName(POD.name()).withNamespace(POD.namespace()).endMetadata()
                .withNewSpec().withNodeName("node-1").withTerminationGracePeriodSeconds(5L)
                .addNewContainer().withName("app").withImage("shell").withCommand("sh", "-c", EXITS_ONCE).endContainer()
                .endSpec().build());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ContainerStatus cs = store.<Pod>get(POD).orElseThrow().getStatus().getContainerStatuses().get(0);
            assertThat(cs.getRestartCount()).isEqualTo(1);
            assertThat(cs.getReady()).isTrue();
            assertThat(calls).extracting(Call::what).contains("readyAgain");
        });
        // out at the exit, while the status still showed the first instance running; back once the restart was ready
        assertThat(calls).extracting(Call::what).containsExactly("exited", "readyAgain");
        assertThat(calls.get(0)).isEqualTo(new Call("exited", POD.name(), 0, true));
        assertThat(calls.get(1)).extracting(Call::restartsInStatus).isEqualTo(1);

        // a stop drains as before, and the stopped container's exit is no unplanned one
        new GracefulDeletion(store, Clock.systemUTC()).delete(store.<Pod>get(POD).orElseThrow(), null);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.get(POD).isEmpty());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(calls).extracting(Call::what).containsExactly("exited", "readyAgain", "drain"));
    }
}
