package dev.berth.platform.cluster;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.api.LiveCoreProfile;
import dev.berth.platform.scheduler.NodeSource;
import dev.berth.platform.scheduler.Scheduler;
import dev.berth.platform.scheduler.SchedulerProfile;
import dev.berth.platform.scheduler.plugins.InTreePlugins;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The secondary scheduler on a live API server, the core's, where SecondarySchedulerTest has fabric8's CRUD mock: the
 * core's own scheduler leaves the pods that name {@code berth} to it, its Bindings go through the Binding subresource
 * (the core sets {@code spec.nodeName}, refuses a second binding), its informers follow the core's watches, and its
 * leader election runs on the core's {@code coordination.k8s.io} Leases. The Nodes are registered through the API (no
 * kubelet serves them), and every pod here selects them, so nothing lands on the core's virtual nodes.
 */
@QuarkusTest
@TestProfile(LiveCoreProfile.class)
class SecondarySchedulerOnCoreTest {

    static final String NS = "shop";
    static final String LEASE_NS = "berth-system";

    @TestHTTPResource("/")
    URL root;

    KubernetesClient client;
    final List<AutoCloseable> started = new ArrayList<>();

    @BeforeEach
    void clientAndNamespaces() {
        client = LiveCoreProfile.adminClient(root, NS, LEASE_NS);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
        client.pods().inNamespace(NS).withGracePeriod(0).delete();
        client.nodes().withLabel("test", "secondary").delete();
        client.leases().inNamespace(LEASE_NS).delete();
        client.v1().events().inNamespace(NS).delete(); // the next test's pods reuse the names
        await().atMost(10, SECONDS).until(() -> client.pods().inNamespace(NS).list().getItems().isEmpty()
                && client.nodes().withLabel("test", "secondary").list().getItems().isEmpty());
        client.close();
    }

    SecondaryScheduler scheduler(String identity, SimpleMeterRegistry meters) {
        SecondaryScheduler.Options options = SecondaryScheduler.Options.defaults(LEASE_NS, identity)
                .withElectionTimings(Duration.ofSeconds(5), Duration.ofSeconds(4), Duration.ofMillis(300));
        Scheduler placement = Scheduler.create(SchedulerProfile.defaultProfile(), InTreePlugins.registry(), NodeSource.inOrder());
        SecondaryScheduler s = new SecondaryScheduler(client, placement, options, new SchedulerMetrics(meters)).start();
        started.add(s);
        return s;
    }

    /** A Ready node as a kubelet would register it: the object, then its status through the status subresource. */
    void node(String name, String zone, String cpu) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).addToLabels("test", "secondary")
                .addToLabels("topology.kubernetes.io/zone", zone).endMetadata().withNewSpec().endSpec().build()).create();
        Node n = client.nodes().withName(name).get();
        n.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder().addToCapacity("cpu", new Quantity(cpu))
                .addToCapacity("memory", new Quantity("4Gi")).addToCapacity("pods", new Quantity("110"))
                .addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity("4Gi")).addToAllocatable("pods", new Quantity("110"))
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition().build());
        client.nodes().resource(n).updateStatus();
    }

    Pod pod(String name, String cpu, String schedulerName) {
        return client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).addToLabels("app", "web").endMetadata()
                .withNewSpec().withSchedulerName(schedulerName).addToNodeSelector("test", "secondary")
                .addNewContainer().withName("web").withImage("127.0.0.1:5000/none/web@sha256:" + "0".repeat(64)).withNewResources()
                .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity("64Mi")).endResources().endContainer().endSpec()
                .build()).create();
    }

    /** Pod → node, as the core stored them (spec.nodeName, set by the Binding); unbound pods absent. */
    Map<String, String> boundNodes() {
        Map<String, String> byPod = new TreeMap<>();
        for (Pod p : client.pods().inNamespace(NS).list().getItems()) {
            if (p.getSpec().getNodeName() != null) {
                byPod.put(p.getMetadata().getName(), p.getSpec().getNodeName());
            }
        }
        return byPod;
    }

    List<Event> events(String pod, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
    }

    @Test
    void bindsThePodsThatNameItThroughTheCoresBindingSubresourceAndExplainsThePodNoNodeFits() {
        node("node-a", "zone-a", "1");
        node("node-b", "zone-b", "1");
        pod("web-1", "600m", "berth");
        pod("web-2", "600m", "berth");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SecondaryScheduler scheduler = scheduler("berth-scheduler-0", meters);

        await().atMost(15, SECONDS).until(() -> boundNodes().size() == 2);
        assertThat(boundNodes().values()).containsExactlyInAnyOrder("node-a", "node-b"); // 600m each: one per node
        await().atMost(5, SECONDS).until(() -> events("web-1", "Scheduled").size() == 1);
        assertThat(events("web-1", "Scheduled").get(0).getMessage()).startsWith("Successfully assigned shop/web-1 to node-");
        assertThat(events("web-1", "Scheduled").get(0).getSource().getComponent()).isEqualTo("berth-scheduler");

        // fits nowhere: the core keeps it pending and unbound, the scheduler says why
        pod("web-3", "600m", "berth");
        await().atMost(10, SECONDS).until(() -> !events("web-3", "FailedScheduling").isEmpty());
        assertThat(events("web-3", "FailedScheduling").get(0).getMessage())
                .isEqualTo("0/5 nodes are available: 3 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu."); // + the core's 3
        assertThat(scheduler.unschedulablePods()).containsExactly("shop/web-3");
        assertThat(boundNodes()).doesNotContainKey("web-3");

        // a new node is room: bound at once
        node("node-c", "zone-a", "2");
        await().atMost(10, SECONDS).until(() -> boundNodes().containsKey("web-3"));
        assertThat(boundNodes()).containsEntry("web-3", "node-c").hasSize(3);
        await().atMost(5, SECONDS).until(() -> scheduler.bindingsInFlight() == 0);
        assertThat(meters.get("berth.scheduler.binds").tag("result", "bound").counter().count()).isEqualTo(3);
    }

    @Test
    void theCoresSchedulerLeavesThePodsOfAnotherSchedulerAndOnlyTheLeaseHolderBindsThem() {
        node("node-a", "zone-a", "4");
        node("node-b", "zone-b", "4");
        for (int i = 1; i <= 4; i++) {
            pod("web-" + i, "100m", "berth");
        }
        // no secondary scheduler yet: the core's own (default-scheduler) does not touch them
        await().during(2, SECONDS).atMost(5, SECONDS).until(() -> boundNodes().isEmpty());

        SimpleMeterRegistry metersA = new SimpleMeterRegistry();
        SimpleMeterRegistry metersB = new SimpleMeterRegistry();
        SecondaryScheduler a = scheduler("scheduler-a", metersA);
        SecondaryScheduler b = scheduler("scheduler-b", metersB);
        await().atMost(15, SECONDS).until(() -> boundNodes().size() == 4);
        await().atMost(5, SECONDS).until(() -> a.bindingsInFlight() + b.bindingsInFlight() == 0);
        ElectedPair pair = ElectedPair.of(a, metersA, b, metersB);
        SecondaryScheduler leader = pair.leader();
        SecondaryScheduler standby = pair.standby();
        assertThat(standby.isLeading()).isFalse();
        assertThat(client.leases().inNamespace(LEASE_NS).withName("berth-scheduler").get().getSpec().getHolderIdentity()).isEqualTo(pair.leaderName());
        assertThat(ElectedPair.bound(pair.leaderMeters())).isEqualTo(4);
        assertThat(ElectedPair.bound(pair.standbyMeters())).isZero();

        // the leader leaves, releasing the Lease on the core; the standby takes it and binds what comes next
        leader.close();
        started.remove(leader);
        await().atMost(20, SECONDS).until(standby::isLeading);
        assertThat(client.leases().inNamespace(LEASE_NS).withName("berth-scheduler").get().getSpec().getHolderIdentity())
                .isEqualTo(pair.standbyName());
        pod("web-5", "100m", "berth");
        await().atMost(10, SECONDS).until(() -> boundNodes().containsKey("web-5"));
        await().atMost(5, SECONDS).until(() -> standby.bindingsInFlight() == 0);
        assertThat(ElectedPair.bound(pair.standbyMeters())).isEqualTo(1);
        assertThat(boundNodes()).hasSize(5);
    }
}
