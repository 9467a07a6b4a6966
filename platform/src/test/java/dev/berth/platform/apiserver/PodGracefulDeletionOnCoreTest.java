package dev.berth.platform.apiserver;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.api.LiveCoreProfile;
import dev.berth.platform.cluster.StandInKubelet;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful pod deletion through the core's API as kube-apiserver does it ({@link DeletionGrace}): a second delete may
 * shorten the grace, never lengthen it, and grace 0 removes a terminating pod at once (kubectl's
 * {@code delete --grace-period=0 --force} for a pod whose kubelet will not finish it). The pods run on a
 * {@link StandInKubelet} whose containers ignore SIGTERM, so a pod goes only when its grace runs out.
 */
@QuarkusTest
@TestProfile(LiveCoreProfile.class)
class PodGracefulDeletionOnCoreTest {

    static final String NS = "grace-oncore";

    @TestHTTPResource("/")
    URL root;

    KubernetesClient client;
    StandInKubelet kubelet;

    @BeforeEach
    void clusterAndNode() {
        client = LiveCoreProfile.adminClient(root, NS);
        kubelet = StandInKubelet.start(client, "grace").node("grace-a", "2").ignoringSigterm();
    }

    @AfterEach
    void cleanUp() {
        kubelet.close();
        await().atMost(15, SECONDS).until(() -> client.pods().inNamespace(NS).list().getItems().isEmpty());
        assertThat(kubelet.failures()).isEmpty();
        client.close();
    }

    /** A running pod on the stand-in's node, as its kubelet reported it. */
    PodResource running(String name, Map<String, String> nodeSelector) {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withNodeSelector(nodeSelector).withTerminationGracePeriodSeconds(300L)
                .addNewContainer().withName("app").withImage("127.0.0.1:5000/none/app@sha256:" + "a".repeat(64)).endContainer().endSpec()
                .build()).create();
        PodResource pod = client.pods().inNamespace(NS).withName(name);
        if (nodeSelector.equals(kubelet.nodeSelector())) {
            await().atMost(15, SECONDS).until(() -> pod.get().getStatus() != null && "Running".equals(pod.get().getStatus().getPhase()));
        }
        return pod;
    }

    @Test
    void aSecondDeleteShortensTheGraceAndNeverLengthensIt() {
        PodResource pod = running("slow", kubelet.nodeSelector());

        long generation = pod.get().getMetadata().getGeneration();
        Instant asked = Instant.now();
        pod.withGracePeriod(60).delete();
        Pod marked = pod.get();
        // upstream's BeforeDelete: the first graceful deletion bumps the generation, shortening it later does not
        assertThat(marked.getMetadata().getGeneration()).isEqualTo(generation + 1);
        assertThat(marked.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(60);
        Instant deadline = Instant.parse(marked.getMetadata().getDeletionTimestamp());
        assertThat(deadline).isBetween(asked.plusSeconds(59), asked.plusSeconds(62));

        pod.withGracePeriod(120).delete(); // longer: nothing changes
        assertThat(pod.get().getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(60);
        assertThat(pod.get().getMetadata().getDeletionTimestamp()).isEqualTo(marked.getMetadata().getDeletionTimestamp());
        pod.delete(); // none given (a controller's): nothing changes either
        assertThat(pod.get().getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(60);

        pod.withGracePeriod(2).delete(); // shorter: the deadline moves 58 s earlier
        Pod shortened = pod.get();
        assertThat(shortened.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(2);
        assertThat(Instant.parse(shortened.getMetadata().getDeletionTimestamp())).isEqualTo(deadline.minusSeconds(58));
        assertThat(shortened.getMetadata().getGeneration()).isEqualTo(generation + 1);
        // the kubelet finishes it when the shortened grace runs out, not the first one
        await().atMost(Duration.ofSeconds(15)).until(() -> pod.get() == null);
        assertThat(Instant.now()).isBefore(deadline);
    }

    @Test
    void graceZeroRemovesATerminatingPodAtOnceAndAnUnscheduledPodGoesWhateverItsGrace() {
        PodResource pod = running("stuck", kubelet.nodeSelector());
        pod.withGracePeriod(60).delete();
        assertThat(pod.get().getMetadata().getDeletionTimestamp()).isNotNull();

        pod.withGracePeriod(0).delete();
        assertThat(pod.get()).as("gone when the delete returns, not at the kubelet's leisure").isNull();

        PodResource pending = running("pending", Map.of(StandInKubelet.NODE_LABEL, "no-such-node"));
        assertThat(pending.get().getSpec().getNodeName()).isNull();
        pending.withGracePeriod(30).delete();
        assertThat(pending.get()).as("nothing runs it: no grace").isNull();
    }
}
