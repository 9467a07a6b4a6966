package dev.berth.platform.cluster;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.scheduler.NodeSource;
import dev.berth.platform.scheduler.Scheduler;
import dev.berth.platform.scheduler.SchedulerProfile;
import dev.berth.platform.scheduler.plugins.InTreePlugins;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The secondary scheduler against fabric8's mock API server (CRUD mode; no real API server runs here): what it binds is
 * read from the Binding requests the server recorded.
 */
@EnableKubernetesMockClient(crud = true)
class SecondarySchedulerTest {

    KubernetesClient client;
    KubernetesMockServer server;

    final List<AutoCloseable> started = new ArrayList<>();
    final List<String> bindingPosts = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    SecondaryScheduler scheduler(String identity, SimpleMeterRegistry meters) {
        SecondaryScheduler.Options options = SecondaryScheduler.Options.defaults("berth-system", identity)
                .withElectionTimings(Duration.ofSeconds(5), Duration.ofSeconds(4), Duration.ofMillis(300));
        Scheduler placement = Scheduler.create(SchedulerProfile.defaultProfile(), InTreePlugins.registry(), NodeSource.inOrder());
        SecondaryScheduler s = new SecondaryScheduler(client, placement, options, new SchedulerMetrics(meters)).start();
        started.add(s);
        return s;
    }

    /**
     * Every Binding the scheduler created, as the CRUD server stored them; the Binding POSTs of the server's request
     * log are collected on the way, so a pod bound twice shows as a second POST (the mock refuses it as a conflict).
     */
    List<Binding> bindings() throws InterruptedException {
        RecordedRequest r;
        while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if ("POST".equals(r.getMethod()) && r.getPath().matches("/api/v1/namespaces/[^/]+/bindings.*")) {
                bindingPosts.add(r.getPath());
            }
        }
        return client.bindings().inNamespace("shop").list().getItems();
    }

    void assertOnePostPerBinding() throws InterruptedException {
        List<Binding> stored = bindings();
        assertThat(bindingPosts).as("Binding requests, one per stored Binding").hasSize(stored.size());
    }

    /** Pod → node of every Binding; a pod with two Bindings fails. */
    Map<String, String> boundNodes() throws InterruptedException {
        Map<String, String> byPod = new java.util.TreeMap<>();
        for (Binding b : bindings()) {
            assertThat(byPod.put(b.getMetadata().getName(), b.getTarget().getName())).as("pod %s bound twice", b.getMetadata().getName()).isNull();
        }
        return byPod;
    }

    /** What the API server does on a Binding: sets the pod's node (the mock only stores the Binding). */
    void applyBindings() throws InterruptedException {
        for (Binding b : bindings()) {
            client.pods().inNamespace(b.getMetadata().getNamespace()).withName(b.getMetadata().getName())
                    .edit(p -> new PodBuilder(p).editSpec().withNodeName(b.getTarget().getName()).endSpec().build());
        }
    }

    void node(String name, String zone, String cpu) {
        Node node = new NodeBuilder().withNewMetadata().withName(name).addToLabels("topology.kubernetes.io/zone", zone).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity("4Gi"))
                .addToAllocatable("pods", new Quantity("110")).addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build();
        client.nodes().resource(node).create();
    }

    Pod pod(String name, String cpu, String schedulerName, String nodeName) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").withUid("uid-" + name).addToLabels("app", "web").endMetadata()
                .withNewSpec().withSchedulerName(schedulerName).withNodeName(nodeName)
                .addNewContainer().withName("web").withImage("web@sha256:1").withNewResources().addToRequests("cpu", new Quantity(cpu))
                .addToRequests("memory", new Quantity("64Mi")).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus()
                .build();
        return client.pods().inNamespace("shop").resource(pod).create();
    }

    List<Event> events(String pod, String reason) {
        return client.v1().events().inNamespace("shop").list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
    }

    /**
     * A bound pod that starts terminating no longer counts for topology spreading (kubernetes#87621), as in the local
     * engine: the informer's update re-accounts it. Before, only a change of node did, so the terminating pod kept
     * zone-a "full" and the roomier node-b won the score.
     */
    @Test
    void aPodThatStartsTerminatingStopsCountingForSpreading() throws Exception {
        node("node-a", "zone-a", "2");
        node("node-b", "zone-b", "4");
        pod("old", "600m", "default-scheduler", "node-a");
        pod("other", "100m", "default-scheduler", "node-b");
        scheduler("berth-scheduler-0", new SimpleMeterRegistry());
        // a first placement, so the scheduler holds its snapshot before the deletion and must follow the pod's update
        client.pods().inNamespace("shop").resource(new PodBuilder(pod("warm-up", "100m", "berth", null)).editMetadata().withResourceVersion(null)
                .withName("warm-up-2").withUid("uid-warm-up-2").withLabels(Map.of("app", "warm-up")).endMetadata().build()).create();
        client.pods().inNamespace("shop").withName("warm-up").delete();
        await().atMost(10, SECONDS).until(() -> boundNodes().containsKey("warm-up-2"));
        // deleted while a finalizer holds it: the API server sets deletionTimestamp and keeps the pod
        client.pods().inNamespace("shop").withName("old")
                .edit(p -> new PodBuilder(p).editMetadata().addToFinalizers("berth.dev/test-hold").endMetadata().build());
        client.pods().inNamespace("shop").withName("old").delete();
        await().atMost(5, SECONDS).until(() -> client.pods().inNamespace("shop").withName("old").get().getMetadata().getDeletionTimestamp() != null);

        Pod spread = new PodBuilder().withNewMetadata().withName("web-new").withNamespace("shop").withUid("uid-web-new").addToLabels("app", "web")
                .endMetadata().withNewSpec().withSchedulerName("berth")
                .addNewContainer().withName("web").withImage("web@sha256:1").withNewResources().addToRequests("cpu", new Quantity("100m"))
                .addToRequests("memory", new Quantity("64Mi")).endResources().endContainer()
                .addNewTopologySpreadConstraint().withMaxSkew(1).withTopologyKey("topology.kubernetes.io/zone").withWhenUnsatisfiable("DoNotSchedule")
                .withNewLabelSelector().addToMatchLabels("app", "web").endLabelSelector().endTopologySpreadConstraint().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
        client.pods().inNamespace("shop").resource(spread).create();

        // zone-a counts 0 web pods (old is terminating), zone-b counts 1: only zone-a keeps the skew within 1
        await().atMost(10, SECONDS).until(() -> boundNodes().containsKey("web-new"));
        assertThat(boundNodes()).containsEntry("web-new", "node-a");
    }

    @Test
    void bindsItsPendingPodsWhereThePluginsChooseAndExplainsThePodNoNodeFits() throws Exception {
        node("node-a", "zone-a", "1");
        node("node-b", "zone-b", "1");
        node("node-c", "zone-c", "1");
        pod("resident", "600m", "default-scheduler", "node-a");
        pod("web-1", "600m", "berth", null);
        pod("web-2", "600m", "berth", null);
        pod("theirs", "100m", "default-scheduler", null);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SecondaryScheduler scheduler = scheduler("berth-scheduler-0", meters);

        // node-a is 600m full with a pod of another scheduler: the two pods fit only on b and c, one each
        await().atMost(10, SECONDS).until(() -> boundNodes().size() == 2);
        assertThat(boundNodes()).containsOnlyKeys("web-1", "web-2");
        assertThat(boundNodes().values()).containsExactlyInAnyOrder("node-b", "node-c");
        assertThat(bindings()).allSatisfy(b -> assertThat(b.getTarget().getKind()).isEqualTo("Node"));
        await().atMost(5, SECONDS).until(() -> events("web-1", "Scheduled").size() == 1);
        assertThat(events("web-1", "Scheduled").get(0).getMessage()).startsWith("Successfully assigned shop/web-1 to node-");

        // a third one fits nowhere: Pending with the plugins' reasons, no binding
        pod("web-3", "600m", "berth", null);
        await().atMost(5, SECONDS).until(() -> !events("web-3", "FailedScheduling").isEmpty());
        Event failed = events("web-3", "FailedScheduling").get(0);
        assertThat(failed.getType()).isEqualTo("Warning");
        assertThat(failed.getMessage()).isEqualTo("0/3 nodes are available: 3 Insufficient cpu.");
        assertThat(failed.getSource().getComponent()).isEqualTo("berth-scheduler");
        assertThat(scheduler.unschedulablePods()).containsExactly("shop/web-3");
        assertThat(boundNodes()).doesNotContainKey("web-3");

        // room appears: a new node is enough to retry it at once
        node("node-d", "zone-a", "2");
        await().atMost(5, SECONDS).until(() -> boundNodes().containsKey("web-3"));
        assertThat(boundNodes()).containsEntry("web-3", "node-d").doesNotContainKey("theirs").hasSize(3);
        assertOnePostPerBinding();
        assertThat(meters.get("berth.scheduler.binds").tag("result", "bound").counter().count()).isEqualTo(3);
        assertThat(meters.get("berth.scheduler.binding.duration").timer().count()).isEqualTo(3);
        assertThat(meters.get("berth.scheduler.placements").tag("result", "unschedulable").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("berth.scheduler.leader").gauge().value()).isEqualTo(1);
    }

    @Test
    void onlyTheLeaseHolderBindsAndAStandbyTakesOverWhenItLeaves() throws Exception {
        node("node-a", "zone-a", "4");
        node("node-b", "zone-b", "4");
        for (int i = 1; i <= 6; i++) {
            pod("web-" + i, "100m", "berth", null);
        }
        SimpleMeterRegistry metersA = new SimpleMeterRegistry();
        SimpleMeterRegistry metersB = new SimpleMeterRegistry();
        SecondaryScheduler a = scheduler("scheduler-a", metersA);
        SecondaryScheduler b = scheduler("scheduler-b", metersB);

        await().atMost(10, SECONDS).until(() -> boundNodes().size() == 6);
        await().atMost(5, SECONDS).until(() -> a.bindingsInFlight() + b.bindingsInFlight() == 0);
        ElectedPair pair = ElectedPair.of(a, metersA, b, metersB);
        SecondaryScheduler leader = pair.leader();
        SecondaryScheduler standby = pair.standby();
        assertThat(standby.isLeading()).isFalse();
        assertThat(client.leases().inNamespace("berth-system").withName("berth-scheduler").get().getSpec().getHolderIdentity()).isEqualTo(pair.leaderName());
        // each pod bound exactly once (boundNodes fails on a second Binding), all by the leader
        assertThat(ElectedPair.bound(pair.leaderMeters())).isEqualTo(6);
        assertThat(ElectedPair.bound(pair.standbyMeters())).isZero();

        // the API server sets the nodes; the leader leaves (releasing the Lease); the standby schedules what comes next
        applyBindings();
        leader.close();
        started.remove(leader);
        await().atMost(20, SECONDS).until(standby::isLeading); // at once if the Lease was released, else when it expires
        pod("web-7", "100m", "berth", null);
        await().atMost(10, SECONDS).until(() -> boundNodes().containsKey("web-7"));
        await().atMost(5, SECONDS).until(() -> standby.bindingsInFlight() == 0);
        assertThat(boundNodes()).hasSize(7);
        assertOnePostPerBinding();
        assertThat(ElectedPair.bound(pair.standbyMeters())).isEqualTo(1);
    }
}
