package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.probe.ProbeCheck;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A core that crashed between starting a replica process and recording it in the pod's status left a process no pod
 * claims: the next kubelet stops it before any pod worker starts (else the container started in its place finds its
 * port taken and crash-loops), and adopts, never stops, the processes a pod's status does claim.
 */
class UnclaimedReplicasTest {

    static final String NS = "default";

    @TempDir
    Path state;
    ObjectStore store;
    Kubelet kubelet;
    ReplicaProcess claimed;
    ReplicaProcess unclaimed;

    @AfterEach
    void stop() throws Exception {
        if (kubelet != null) {
            kubelet.close();
        }
        store.close();
        for (ReplicaProcess p : new ReplicaProcess[] {claimed, unclaimed}) {
            if (p != null) {
                p.kill();
            }
        }
    }

    @Test
    void aReplicaNoPodClaimsIsStoppedAndAClaimedOneIsAdopted() throws Exception {
        Clock clock = Clock.systemUTC();
        store = new ObjectStore(state.resolve("store"), new KubernetesSerialization(), clock, 100);
        PodDirectories dirs = new PodDirectories(state);
        ReplicaLedger ledger = new ReplicaLedger(state);
        // what the crashed core left: two processes in its ledger, only one of them recorded in its pod's status
        claimed = sleeper("claimed", ledger);
        unclaimed = sleeper("unclaimed", ledger);
        store.create(new NodeBuilder().withNewMetadata().withName("node-1").addToLabels(VirtualNodes.VIRTUAL_LABEL, "true").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
        Pod created = store.create(new PodBuilder().withNewMetadata().withName("running").withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("app").withImage("shell").withCommand("sleep", "600")
                .endContainer().endSpec().build());
        created.setStatus(new PodStatusBuilder().withPhase("Running")
                .withContainerStatuses(new ContainerStatusBuilder().withName("app").withContainerID(claimed.containerId()).withRestartCount(0)
                        .withNewState().withNewRunning().withStartedAt(claimed.started().toString()).endRunning().endState().build())
                .build());
        store.update(created);

        LogStartOffsets starts = LogStartOffsets.load(state.resolve("log-start-offsets.json"));
        kubelet = new Kubelet(store, new EventRecorder(store, clock), new EnvironmentResolver(store, s -> Optional.of(new InetSocketAddress("127.0.0.1", 0))), List.of(ContainerRestartLogsTest.shell(dirs)),
                new ProbeCheck(null, Runnable::run), Executors.newScheduledThreadPool(2), Executors.newCachedThreadPool(),
                (pod, timeout) -> CompletableFuture.completedFuture(null), new ContainerRestartLogsTest.FastRuntime(), clock, dirs,
                new KubeletMetrics(new SimpleMeterRegistry()), ledger,
                new LogRotation(dirs, LogRotationPolicy.of("10Mi", 5), starts, ShippedLogs.NO_SHIPPER), new RetiredLogs(dirs, ShippedLogs.NO_SHIPPER),
                new LogTimes(state.resolve("log-times"), starts, clock));
        kubelet.start();

        assertThat(unclaimed.isAlive()).as("stopped before start() returns, so no worker races it for a port").isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> kubelet.workers().containsKey(ObjectKey.of(created)));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(claimed::isAlive);
        ContainerStatus app = store.<Pod>get(new ObjectKey(ResourceKind.POD, NS, "running")).orElseThrow().getStatus().getContainerStatuses().get(0);
        assertThat(app.getContainerID()).as("adopted, not started again").isEqualTo(claimed.containerId());
        assertThat(app.getRestartCount()).isZero();
        assertThat(ledger.survivors()).extracting(ReplicaProcess::containerId).containsExactly(claimed.containerId());
    }

    private ReplicaProcess sleeper(String name, ReplicaLedger ledger) throws Exception {
        Path dir = Files.createDirectories(state.resolve(name));
        ReplicaProcess p = ReplicaProcess.start(new LaunchSpec(List.of("sleep", "600"), Map.of("PATH", "/usr/bin:/bin"), dir, dir.resolve("log")));
        ledger.track(p);
        return p;
    }
}
