package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.EngineException;
import dev.berth.platform.engine.NodeAction;
import dev.berth.platform.model.HostPorts;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.WatchEvent;
import dev.berth.platform.testapp.TestImages;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local engine as users meet it: the packaged core as a process, a real OCI registry, real replica
 * processes started from a Jib-built image, real probes, real sockets through the Service proxies.
 */
class LocalEngineIT {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static CoreUnderTest core;
    static Engine admin;
    static String image;

    @BeforeAll
    static void start() throws Exception {
        image = TestImages.testApp("it", Path.of("target", "testapp"));
        core = new CoreUnderTest("local-engine", Map.of()).start();
        admin = core.admin();
    }

    @AfterAll
    static void stop() {
        CoreUnderTest.shutDown(core);
    }

    static List<Pod> pods(String app) {
        return admin.list(ResourceKind.POD, "default", "app=" + app);
    }

    static List<Pod> readyPods(String app) {
        return pods(app).stream().filter(PodStatuses::isReady).filter(PodStatuses::isActive).toList();
    }

    static void deploy(String app, int replicas, String cpu) {
        admin.apply(Manifests.testApp(app, image, replicas, cpu, null), "default", false);
    }

    static int servicePort(String name) {
        return await().atMost(30, SECONDS).until(() -> admin.<Service>get(ResourceKind.SERVICE, "default", name)
                .map(s -> s.getMetadata().getAnnotations().get("berth.dev/local-port")).map(Integer::parseInt).orElse(-1), p -> p > 0);
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int hostPort(Pod p) {
        return HostPorts.of(p).get(8080);
    }

    @Test
    void replicasAreSpreadOverNodesAndServedThroughTheServiceProxy() throws Exception {
        deploy("spread", 3, "100m");
        await().atMost(60, SECONDS).until(() -> readyPods("spread").size() == 3);
        Set<String> nodes = readyPods("spread").stream().map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet());
        assertThat(nodes).as("topology spread over hostname").hasSize(3);

        int port = servicePort("spread");
        Set<String> answered = new java.util.HashSet<>();
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = get(port, "/");
            assertThat(r.statusCode()).isEqualTo(200);
            answered.add(r.headers().firstValue("X-Berth-Replica").orElseThrow());
        }
        assertThat(answered).as("round robin reaches every replica").hasSize(3);
        Deployment d = admin.<Deployment>get(ResourceKind.DEPLOYMENT, "default", "spread").orElseThrow();
        assertThat(d.getStatus().getReadyReplicas()).isEqualTo(3);
    }

    @Test
    void aKilledReplicaIsRestartedAndReadyAgain() {
        deploy("crash", 1, "100m");
        await().atMost(60, SECONDS).until(() -> readyPods("crash").size() == 1);
        Pod before = readyPods("crash").get(0);
        long pid = Long.parseLong(before.getStatus().getContainerStatuses().get(0).getContainerID().replaceAll("berth://(\\d+)@.*", "$1"));
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        await().atMost(60, SECONDS).untilAsserted(() -> {
            Pod after = admin.<Pod>get(ResourceKind.POD, "default", before.getMetadata().getName()).orElseThrow();
            assertThat(after.getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(1);
            assertThat(PodStatuses.isReady(after)).isTrue();
        });
        List<Event> events = admin.list(ResourceKind.EVENT, "default", null);
        assertThat(events).anyMatch(e -> before.getMetadata().getName().equals(e.getInvolvedObject().getName()) && "Restarting".equals(e.getReason()));
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() throws Exception {
        deploy("liveness", 1, "100m");
        await().atMost(60, SECONDS).until(() -> readyPods("liveness").size() == 1);
        Pod pod = readyPods("liveness").get(0);
        HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort(pod) + "/control/live?ok=false"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        await().atMost(60, SECONDS).untilAsserted(() -> {
            Pod after = admin.<Pod>get(ResourceKind.POD, "default", pod.getMetadata().getName()).orElseThrow();
            assertThat(after.getStatus().getContainerStatuses().get(0).getRestartCount()).isGreaterThanOrEqualTo(1);
            assertThat(PodStatuses.isReady(after)).isTrue();
        });
        assertThat(admin.<Event>list(ResourceKind.EVENT, "default", null))
                .anyMatch(e -> "Unhealthy".equals(e.getReason()) && e.getMessage().startsWith("Liveness probe failed"));
    }

    @Test
    void aReplicaFailingReadinessLeavesTheServiceWithoutAFailedRequest() throws Exception {
        deploy("readiness", 2, "100m");
        await().atMost(60, SECONDS).until(() -> readyPods("readiness").size() == 2);
        int port = servicePort("readiness");
        Pod sick = readyPods("readiness").get(0);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        Thread load = new Thread(() -> {
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < end) {
                try {
                    if (get(port, "/").statusCode() == 200) {
                        served.incrementAndGet();
                    } else {
                        failures.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
            }
        });
        load.start();
        HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort(sick) + "/control/ready?ok=false"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        await().atMost(20, SECONDS).until(() -> readyPods("readiness").size() == 1);
        load.join();
        assertThat(failures.get()).as("failed requests through the proxy").isZero();
        assertThat(served.get()).isGreaterThan(50);
        // the sick replica serves nothing any more
        for (int i = 0; i < 10; i++) {
            assertThat(get(port, "/").headers().firstValue("X-Berth-Replica").orElseThrow()).isNotEqualTo(sick.getMetadata().getName());
        }
    }

    @Test
    void aFailedNodesReplicasAreRescheduledOnTheOthers() {
        deploy("nodefail", 2, "100m");
        await().atMost(60, SECONDS).until(() -> readyPods("nodefail").size() == 2);
        String victim = readyPods("nodefail").get(0).getSpec().getNodeName();
        admin.node(victim, NodeAction.FAIL);
        try {
            await().atMost(60, SECONDS).untilAsserted(() -> {
                List<Pod> ready = readyPods("nodefail");
                assertThat(ready).hasSize(2);
                assertThat(ready).noneMatch(p -> victim.equals(p.getSpec().getNodeName()));
            });
            Node node = admin.<Node>get(ResourceKind.NODE, null, victim).orElseThrow();
            assertThat(node.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("False")
                    && c.getReason().equals("NodeFailed"));
            // what kubectl describe node lists under Events
            assertThat(admin.<Event>list(ResourceKind.EVENT, "default", null))
                    .anyMatch(e -> victim.equals(e.getInvolvedObject().getName()) && "Node".equals(e.getInvolvedObject().getKind())
                            && "NodeNotReady".equals(e.getReason()) && "Warning".equals(e.getType()));
        } finally {
            admin.node(victim, NodeAction.RECOVER);
        }
    }

    @Test
    void aReplicaThatFitsNowhereStaysPendingWithReasonsUntilCapacityFrees() {
        deploy("hog", 3, "3");
        await().atMost(60, SECONDS).until(() -> readyPods("hog").size() == 3);
        deploy("waiting", 1, "2");
        await().atMost(30, SECONDS).untilAsserted(() -> {
            assertThat(pods("waiting")).as("the waiting pod, created").isNotEmpty();
            Pod p = pods("waiting").get(0);
            assertThat(p.getSpec().getNodeName()).isNull();
            assertThat(p.getStatus().getConditions()).anyMatch(c -> c.getType().equals("PodScheduled") && c.getMessage() != null
                    && c.getMessage().startsWith("0/3 nodes are available:") && c.getMessage().contains("Insufficient cpu"));
        });
        assertThat(admin.<Event>list(ResourceKind.EVENT, "default", null))
                .anyMatch(e -> "FailedScheduling".equals(e.getReason()) && e.getMessage().contains("Insufficient cpu"));
        admin.delete(ResourceKind.DEPLOYMENT, "default", "hog");
        await().atMost(60, SECONDS).until(() -> readyPods("waiting").size() == 1);
    }

    @Test
    void watchersSeeChangesAsServerSentEvents() throws Exception {
        List<WatchEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AutoCloseable watch = admin.watch(ResourceKind.DEPLOYMENT, "default", "app=watched", seen::add)) {
            deploy("watched", 1, "100m");
            await().atMost(60, SECONDS).untilAsserted(() -> {
                assertThat(seen).anyMatch(e -> e.type() == WatchEvent.Type.ADDED && e.key().name().equals("watched"));
                assertThat(seen).anyMatch(e -> e.type() == WatchEvent.Type.MODIFIED
                        && ((Deployment) e.object()).getStatus() != null && Integer.valueOf(1).equals(((Deployment) e.object()).getStatus().getReadyReplicas()));
            });
            admin.delete(ResourceKind.DEPLOYMENT, "default", "watched");
            await().atMost(30, SECONDS).untilAsserted(() -> assertThat(seen).anyMatch(e -> e.type() == WatchEvent.Type.DELETED));
        }
    }

    @Test
    void cordonedNodesGetNoNewReplicasAndADrainedNodesReplicasMove() {
        admin.apply(Manifests.unconstrained("drain", image, 3), "default", false);
        await().atMost(60, SECONDS).until(() -> readyPods("drain").size() == 3);
        try {
            admin.node("node-1", NodeAction.CORDON);
            admin.node("node-2", NodeAction.DRAIN);
            Node cordoned = admin.<Node>get(ResourceKind.NODE, null, "node-2").orElseThrow();
            assertThat(cordoned.getSpec().getUnschedulable()).isTrue();
            await().atMost(90, SECONDS).untilAsserted(() -> {
                List<Pod> pods = pods("drain").stream().filter(PodStatuses::isActive).toList();
                assertThat(pods).hasSize(3).allMatch(PodStatuses::isReady);
                assertThat(pods).noneMatch(p -> "node-2".equals(p.getSpec().getNodeName()));
            });
            admin.scale(ResourceKind.DEPLOYMENT, "default", "drain", 5);
            await().atMost(90, SECONDS).until(() -> readyPods("drain").size() == 5);
            assertThat(readyPods("drain")).allMatch(p -> "node-3".equals(p.getSpec().getNodeName()) || isOld(p));
        } finally {
            admin.node("node-1", NodeAction.UNCORDON);
            admin.node("node-2", NodeAction.UNCORDON);
            admin.delete(ResourceKind.DEPLOYMENT, "default", "drain");
        }
    }

    /** Placed on node-1 before it was cordoned (cordoning moves nothing; only new replicas avoid it). */
    private static boolean isOld(Pod p) {
        return "node-1".equals(p.getSpec().getNodeName());
    }

    @Test
    void anImageThatIsNotAJavaApplicationIsRefusedNamingIt() throws Exception {
        String shell = TestImages.shellImage("it");
        admin.apply(Manifests.testApp("shell", shell, 1, "100m", null), "default", false);
        await().atMost(60, SECONDS).untilAsserted(() -> {
            List<Pod> shells = pods("shell");
            assertThat(shells).as("the shell pod, created").isNotEmpty();
            Pod p = shells.get(0);
            assertThat(p.getStatus()).isNotNull();
            assertThat(p.getStatus().getContainerStatuses()).as("its container status").isNotEmpty();
            var waiting = p.getStatus().getContainerStatuses().get(0).getState().getWaiting();
            assertThat(waiting).isNotNull();
            assertThat(waiting.getReason()).isEqualTo("CreateContainerError");
            assertThat(waiting.getMessage()).contains("berth-test/shell").contains("is not a Java application image");
        });
        admin.delete(ResourceKind.DEPLOYMENT, "default", "shell");
    }

    @Test
    void logsAreServedFromTheReplicasOutput() throws Exception {
        deploy("logs", 1, "100m");
        await().atMost(60, SECONDS).until(() -> readyPods("logs").size() == 1);
        Pod pod = readyPods("logs").get(0);
        try (InputStream in = admin.logs("default", pod.getMetadata().getName(), 5, false)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("listening on " + hostPort(pod));
        }
    }

    @Test
    void badManifestsAreRefusedAndChangeNothing() {
        long before = admin.list(ResourceKind.DEPLOYMENT, null, null).size();
        String broken = Manifests.testApp("broken", image, 1, "100m", null).replace("replicas: 1", "replicas: lots");
        assertThatThrownBy(() -> admin.apply(broken, "default", false))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).anyMatch(f -> f.field().equals("document[0].spec.replicas"));
                });
        assertThat(admin.list(ResourceKind.DEPLOYMENT, null, null)).hasSize((int) before);
        assertThat(admin.get(ResourceKind.SERVICE, "default", "broken")).as("the valid second document was not applied either").isEmpty();
    }

    @Test
    void theCoreExportsItsOwnMetrics() throws Exception {
        deploy("metrics", 1, "100m");
        await().atMost(60, SECONDS).until(() -> readyPods("metrics").size() == 1);
        await().atMost(10, SECONDS).untilAsserted(() -> {
            String metrics = get(core.process.port(), "/q/metrics").body();
            assertThat(metrics)
                    .contains("berth_scheduler_placements_total{result=\"scheduled\"}")
                    .contains("berth_scheduler_placement_duration_seconds_bucket")
                    .contains("berth_scheduler_pending_pods")
                    .contains("berth_workload_replicas_ready{kind=\"Deployment\",namespace=\"default\",workload=\"metrics\"} 1.0")
                    .contains("berth_workload_replicas_desired{kind=\"Deployment\",namespace=\"default\",workload=\"metrics\"} 1.0");
        });
    }

    @Test
    void tokensAreRequiredAndRolesLimitWhatTheyMayDo() {
        assertThatThrownBy(() -> core.as(null).list(ResourceKind.POD, null, null))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> core.as("not-a-valid-token-at-all").list(ResourceKind.POD, null, null))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(core.as(CoreUnderTest.VIEWER).list(ResourceKind.POD, "default", null)).isNotNull();
        // Kubernetes' view role reads a namespace's objects, not the cluster's nodes
        assertThatThrownBy(() -> core.as(CoreUnderTest.VIEWER).list(ResourceKind.NODE, null, null))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThat(core.as(CoreUnderTest.ADMIN).list(ResourceKind.NODE, null, null)).hasSize(3);
        assertThatThrownBy(() -> core.as(CoreUnderTest.VIEWER).apply(Manifests.testApp("viewer", image, 1, "100m", null), "default", false))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> core.as(CoreUnderTest.DEPLOYER).node("node-1", NodeAction.CORDON))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThat(core.as(CoreUnderTest.VIEWER).get(ResourceKind.DEPLOYMENT, "default", "viewer")).isEmpty();
    }
}
