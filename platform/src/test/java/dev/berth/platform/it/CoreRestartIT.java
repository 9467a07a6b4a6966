package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.testapp.TestImages;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A core that crashes and comes back on the same state finds everything and adopts running replicas. */
class CoreRestartIT {

    static Set<Long> pids(CoreUnderTest core) {
        return core.replicaProcesses().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    @Test
    void aRestartedCoreAdoptsRunningReplicasAndStartsNoDuplicates() throws Exception {
        String image = TestImages.testApp("restart", Path.of("target", "testapp"));
        CoreUnderTest core = new CoreUnderTest("restart", Map.of()).start();
        try {
            core.admin().apply(Manifests.testApp("survivor", image, 3, "100m", null), "default", false);
            await().atMost(60, SECONDS).until(() -> core.admin().<Pod>list(ResourceKind.POD, "default", "app=survivor").stream()
                    .filter(PodStatuses::isReady).count() == 3);
            List<Pod> before = core.admin().list(ResourceKind.POD, "default", "app=survivor");
            Set<Long> processes = pids(core);
            assertThat(processes).hasSize(3);
            long revision = core.admin().list(ResourceKind.DEPLOYMENT, null, null).size();

            core.crash();
            assertThat(pids(core)).as("replicas outlive a crashed core").isEqualTo(processes);
            core.start();

            await().atMost(30, SECONDS).untilAsserted(() -> {
                List<Pod> after = core.admin().list(ResourceKind.POD, "default", "app=survivor");
                assertThat(after).extracting(p -> p.getMetadata().getName())
                        .containsExactlyInAnyOrderElementsOf(before.stream().map(p -> p.getMetadata().getName()).toList());
                assertThat(after).allMatch(PodStatuses::isReady);
            });
            // the same processes, adopted: nothing restarted, nothing started twice
            assertThat(pids(core)).isEqualTo(processes);
            assertThat(core.admin().<Pod>list(ResourceKind.POD, "default", "app=survivor"))
                    .allSatisfy(p -> assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero());
            assertThat(core.admin().list(ResourceKind.DEPLOYMENT, null, null)).hasSize((int) revision);

            // a graceful stop of the core stops every replica: no orphan
            core.process.stop();
            core.awaitNoReplicaProcesses();
        } finally {
            core.close();
        }
    }

    @Test
    void aCoreStoppedRightAfterARestartStillStopsEveryReplica() throws Exception {
        String image = TestImages.testApp("restart", Path.of("target", "testapp"));
        CoreUnderTest core = new CoreUnderTest("restart-stop", Map.of()).start();
        try {
            core.admin().apply(Manifests.testApp("brief", image, 3, "100m", null), "default", false);
            await().atMost(60, SECONDS).until(() -> core.admin().<Pod>list(ResourceKind.POD, "default", "app=brief").stream()
                    .filter(PodStatuses::isReady).count() == 3);
            core.crash();
            assertThat(pids(core)).hasSize(3);

            // stopped as soon as it answers: its kubelet may not have adopted every replica yet
            core.start();
            core.process.stop();
            core.awaitNoReplicaProcesses();
        } finally {
            core.close();
        }
    }
}
