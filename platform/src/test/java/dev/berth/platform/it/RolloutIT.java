package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.engine.Engine;
import dev.berth.platform.controller.DeploymentConditions;
import dev.berth.platform.controller.RolloutHistory;
import dev.berth.platform.engine.RolloutAction;
import dev.berth.platform.engine.RolloutStatus;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.proxy.KernelRoutesTest;
import dev.berth.platform.testapp.TestImages;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rollouts on the local engine with real replica processes, real probes and real load through the Service
 * proxy: RollingUpdate without a failed request, automatic rollback of broken revisions, undo, pause/resume,
 * and a core that dies mid-rollout.
 */
class RolloutIT {

    static CoreUnderTest core;
    static Engine admin;
    static String image;

    @BeforeAll
    static void start() throws Exception {
        image = TestImages.testApp("rollout", Path.of("target", "testapp"));
        core = new CoreUnderTest("rollout", Map.of()).start();
        admin = core.admin();
        w = new Workloads(core, image);
    }

    @AfterAll
    static void stop() {
        CoreUnderTest.shutDown(core);
    }

    static Workloads w;

    static String manifest(String name, int replicas, String version, String extraEnv, String annotations) {
        return w.manifest(name, replicas, version, extraEnv, annotations);
    }

    static String manifest(String name, int replicas, String version, int startDelayMs, String extraEnv, String annotations) {
        return w.manifest(name, replicas, version, startDelayMs, extraEnv, annotations);
    }

    static Deployment deployment(String name) {
        return w.deployment(name);
    }

    static List<ReplicaSet> replicaSets(String name) {
        return w.replicaSets(name);
    }

    static RolloutStatus status(String name) {
        return w.status(name);
    }

    static void awaitRolledOut(String name) {
        w.awaitRolledOut(name);
    }

    static List<Pod> activePods(String app) {
        return w.activePods(app);
    }

    static String versionOf(Deployment d) {
        return Workloads.versionOf(d);
    }

    static ServiceLoad load(String service) {
        return w.load(service);
    }

    static Set<String> hashes(String name) {
        return w.hashes(name);
    }

    @ParameterizedTest(name = "{0} → {0} replicas")
    @ValueSource(ints = {2, 3})
    void aRollingUpdateUnderSteadyLoadFailsNoRequest(int replicas) throws Exception {
        String name = "rolling-" + replicas;
        admin.apply(manifest(name, replicas, "v1", null, ""), "default", false);
        awaitRolledOut(name);
        String v1 = hashes(name).iterator().next();

        // every pod change the core publishes, not samples: the fewest Ready and the most pods at any moment
        AtomicInteger fewestReady = new AtomicInteger(Integer.MAX_VALUE);
        AtomicInteger mostPods = new AtomicInteger();
        Map<String, Pod> seen = new java.util.concurrent.ConcurrentHashMap<>();
        activePods(name).forEach(p -> seen.put(p.getMetadata().getName(), p));
        // POSTs, which the JDK's client never retries on a connection that closed under them (it does GETs)
        try (ServiceLoad load = Workloads.postsTo(URI.create("http://127.0.0.1:" + w.localPort(name) + "/"));
                AutoCloseable watch = admin.watch(ResourceKind.POD, "default", "app=" + name, e -> {
                    synchronized (seen) {
                        if (e.type() == dev.berth.platform.store.WatchEvent.Type.DELETED || !PodStatuses.isActive((Pod) e.object())) {
                            seen.remove(e.key().name());
                        } else {
                            seen.put(e.key().name(), (Pod) e.object());
                        }
                        fewestReady.accumulateAndGet((int) seen.values().stream().filter(PodStatuses::isReady).count(), Math::min);
                        mostPods.accumulateAndGet(seen.size(), Math::max);
                    }
                })) {
            await().atMost(10, SECONDS).until(() -> load.succeeded() > 20);
            admin.apply(manifest(name, replicas, "v2", null, ""), "default", false);
            awaitRolledOut(name);
            int atEnd = load.succeeded();
            await("a few answers from the finished state").atMost(10, SECONDS).until(() -> load.succeeded() > atEnd + 20);
            load.stop();

            assertThat(load.failures()).as("failed requests during the rollout").isEmpty();
            String v2 = hashes(name).stream().filter(h -> !h.equals(v1)).findFirst().orElseThrow();
            assertThat(load.byRevision().keySet()).as("every answer from the old or the new revision").containsExactlyInAnyOrder(v1, v2);
            assertThat(load.succeeded()).isGreaterThan(100);
        }
        assertThat(fewestReady.get()).as("ready replicas never below desired (maxUnavailable 0)").isGreaterThanOrEqualTo(replicas);
        assertThat(mostPods.get()).as("pods never above desired + maxSurge").isLessThanOrEqualTo(replicas + 1);
        assertThat(activePods(name)).hasSize(replicas).allSatisfy(p -> assertThat(p.getMetadata().getLabels().get("pod-template-hash")).isNotEqualTo(v1));
        Deployment d = deployment(name);
        assertThat(DeploymentConditions.find(d.getStatus(), "Progressing").orElseThrow().getReason()).isEqualTo("NewReplicaSetAvailable");
        assertThat(RolloutHistory.of(replicaSets(name))).extracting(RolloutHistory.Revision::number).containsExactly(1L, 2L);
        assertThat(admin.<Event>list(ResourceKind.EVENT, "default", null)).filteredOn(e -> e.getInvolvedObject().getName().equals(name))
                .extracting(Event::getReason).contains("ScalingReplicaSet");
    }

    /**
     * An HTTP Service on the kernel path (root and nftables: CI here; elsewhere the Service has no virtual address): the
     * load goes to its virtual address, the kernel sends each connection straight to a Ready replica, and a rolling
     * update fails no request — an old replica leaves the rule before it is stopped and, like the kit's Quarkus
     * services in their shutdown delay, answers {@code Connection: close} until it stops ({@code SHUTDOWN_DELAY_MS}), so
     * the clients' next connections go to the replicas that stay (without it, POSTs on connections an old replica
     * closed at its stop failed: "header parser received no bytes"). POSTs, which the JDK's client never retries. The
     * core's proxy carries none of it.
     */
    @Test
    void aRollingUpdateThroughTheKernelPathFailsNoRequest() throws Exception {
        String name = "kernel-rolling";
        String drains = "            - {name: SHUTDOWN_DELAY_MS, value: \"1500\"}";
        admin.apply(manifest(name, 2, "v1", drains, ""), "default", false);
        awaitRolledOut(name);
        Optional<String> clusterIp = w.clusterIp(name);
        if (!KernelRoutesTest.runningAsRoot()) {
            assertThat(clusterIp).as("no kernel path without root").isEmpty();
            return;
        }
        String address = clusterIp.orElseThrow();
        assertThat(address).startsWith("127.77.");
        core.converge("default", Duration.ofSeconds(10), () -> assertThat(Workloads.kernelRule(address, 80))
                .as("the rule lists both Ready replicas").contains("numgen random mod 2").contains(w.readyEndpoints(name)));
        long proxiedBefore = w.proxiedRequests(name);
        try (ServiceLoad load = Workloads.postsTo(URI.create("http://" + address + ":80/"))) {
            await().atMost(10, SECONDS).until(() -> load.succeeded() > 20);
            admin.apply(manifest(name, 2, "v2", drains, ""), "default", false);
            awaitRolledOut(name);
            int atEnd = load.succeeded();
            await("a few answers from the finished state").atMost(10, SECONDS).until(() -> load.succeeded() > atEnd + 20);
            load.stop();

            assertThat(load.failures()).as("failed requests during the rollout").isEmpty();
            assertThat(load.byVersion().keySet()).as("every answer from the old or the new revision").containsExactlyInAnyOrder("v1", "v2");
            assertThat(load.succeeded()).isGreaterThan(100);
        }
        assertThat(w.proxiedRequests(name)).as("requests the core's proxy carried").isEqualTo(proxiedBefore);
        core.converge("default", Duration.ofSeconds(10), () -> assertThat(Workloads.kernelRule(address, 80))
                .as("the rule lists the new replicas only").contains("numgen random mod 2").contains(w.readyEndpoints(name)));
    }

    @Test
    void aRevisionThatNeverBecomesReadyIsRolledBackWhileTheOldOneKeepsServing() throws Exception {
        String name = "unready";
        String fast = "berth.dev/rollback-after-unready-seconds: \"4\"";
        admin.apply(manifest(name, 2, "v1", null, fast), "default", false);
        awaitRolledOut(name);
        try (ServiceLoad load = load(name)) {
            admin.apply(manifest(name, 2, "v2", "            - {name: READY, value: \"false\"}", fast), "default", false);
            core.converge("default", Duration.ofSeconds(90), () -> {
                RolloutStatus s = status(name);
                assertThat(s.failed()).as(s.message()).isTrue();
                assertThat(s.message()).contains("rolled back automatically (Unready)");
            });
            assertThat(versionOf(deployment(name))).as("the template is v1's again").isEqualTo("v1");
            core.converge("default", Duration.ofSeconds(60), () -> assertThat(activePods(name)).hasSize(2)
                    .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getEnv()).noneMatch(e -> e.getName().equals("READY"))));
            load.stop();
            assertThat(load.failures()).as("failed requests while the broken revision came and went").isEmpty();
            assertThat(load.byRevision()).hasSize(1);
        }
        var degraded = DeploymentConditions.find(deployment(name).getStatus(), "Degraded").orElseThrow();
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getMessage()).startsWith("rolled back from revision 2 to revision 1");
        assertThat(admin.<Event>list(ResourceKind.EVENT, "default", null))
                .anySatisfy(e -> {
                    assertThat(e.getInvolvedObject().getName()).isEqualTo(name);
                    assertThat(e.getReason()).isEqualTo("RolledBack");
                    assertThat(e.getType()).isEqualTo("Warning");
                });
        // revision 1 came back as revision 3, as Kubernetes renumbers a reused ReplicaSet
        assertThat(RolloutHistory.of(replicaSets(name))).extracting(RolloutHistory.Revision::number).containsExactly(2L, 3L);
    }

    @Test
    void aCrashLoopingRevisionIsRolledBack() throws Exception {
        String name = "crashing";
        admin.apply(manifest(name, 2, "v1", null, ""), "default", false);
        awaitRolledOut(name);
        admin.apply(manifest(name, 2, "v2", "            - {name: EXIT_CODE, value: \"3\"}", ""), "default", false);
        // what berth rollout status adds over kubectl's: the core rolled the revision back, so the rollout failed (exit 1)
        String[] followed = cli("rollout", "status", "deployment/" + name, "--timeout", "2m");
        assertThat(followed[0]).as(followed[1] + followed[2]).isEqualTo("1");
        assertThat(followed[2]).contains("rolled back automatically (CrashLooping)");
        assertThat(status(name).message()).contains("rolled back automatically (CrashLooping)");
        assertThat(versionOf(deployment(name))).isEqualTo("v1");
        awaitRolledOutOrDegraded(name);
        assertThat(activePods(name)).hasSize(2).allMatch(PodStatuses::isReady);
    }

    /** After an automatic rollback the status stays "rolled back" (failed) while the old revision is whole again. */
    static void awaitRolledOutOrDegraded(String name) {
        core.converge("default", Duration.ofSeconds(60), () -> {
            Deployment d = deployment(name);
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(2);
            assertThat(d.getStatus().getReplicas()).isEqualTo(2);
            assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(2);
        });
    }

    static final String CANARY = "berth.dev/canary-steps: \"20,50\", berth.dev/canary-step-seconds: \"4\", berth.dev/canary-min-requests: \"10\"";

    @Test
    void aCanaryServingErrorsIsAbortedOnTheProxysCountersWithoutPrometheus() throws Exception {
        String name = "canary-bad";
        admin.apply(manifest(name, 3, "v1", null, CANARY), "default", false);
        awaitRolledOut(name);
        String stable = hashes(name).iterator().next();
        // on the kernel path (root, nftables) the load goes to the Service's virtual address: a Deployment with a canary
        // strategy keeps its Service's connections on the proxy, whose per-request split and counters the analysis needs
        URI target = w.serviceUri(name);
        w.awaitKernelRuleToProxy(name);
        try (ServiceLoad load = Workloads.loadAt(target)) {
            admin.apply(manifest(name, 3, "v2", "            - {name: FAIL_STATUS, value: \"503\"}", CANARY), "default", false);
            core.converge("default", Duration.ofSeconds(90), () -> assertThat(status(name).message())
                    .contains("rolled back automatically (AnalysisFailed)").contains("the proxy's counters"));
            load.stop();
            // the canary had its 20 %: some answers (its 503s are the load's failures), the stable revision the rest
            int canaryAnswers = load.failures().size();
            int stableAnswers = load.byRevision().getOrDefault(stable, 0);
            assertThat(canaryAnswers).isPositive();
            assertThat((double) canaryAnswers / (canaryAnswers + stableAnswers)).as("canary share of traffic").isBetween(0.02, 0.45);
        }
        assertThat(versionOf(deployment(name))).isEqualTo("v1");
        core.converge("default", Duration.ofSeconds(60), () -> assertThat(activePods(name)).hasSize(3)
                .allSatisfy(p -> assertThat(p.getMetadata().getLabels().get("pod-template-hash")).isEqualTo(stable)));
        assertThat(admin.<Event>list(ResourceKind.EVENT, "default", null)).filteredOn(e -> e.getInvolvedObject().getName().equals(name))
                .extracting(Event::getReason).contains("CanaryStep", "RolledBack");
    }

    /** {@code berth …} as a user runs it, against this core: exit code and what it printed. */
    static String[] cli(String... args) throws Exception {
        Path tokenFile = core.state.resolve("cli-token");
        java.nio.file.Files.writeString(tokenFile, CoreUnderTest.ADMIN);
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cmd = dev.berth.platform.cli.BerthCli.commandLine();
        cmd.setOut(new java.io.PrintWriter(out, true));
        cmd.setErr(new java.io.PrintWriter(err, true));
        List<String> all = new java.util.ArrayList<>(List.of("--server", core.process.url(), "--token-file", tokenFile.toString()));
        all.addAll(List.of(args));
        int code = cmd.execute(all.toArray(String[]::new));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void theCliFollowsARolloutToTheEndAndSendsKubectlsVerbsToKubectl() throws Exception {
        String name = "cli";
        admin.apply(manifest(name, 2, "v1", null, ""), "default", false);
        awaitRolledOut(name);
        admin.apply(manifest(name, 2, "v2", null, ""), "default", false);
        String[] status = cli("rollout", "status", "deployment/" + name, "--timeout", "2m");
        assertThat(status[0]).as(status[2]).isEqualTo("0");
        assertThat(status[1].strip().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("deployment \"cli\" successfully rolled out");
        assertThat(versionOf(deployment(name))).isEqualTo("v2");

        String[] undo = cli("rollout", "undo", "deployment/" + name);
        assertThat(undo[0]).isEqualTo("2");
        assertThat(undo[2]).contains("'berth rollout undo' is kubectl's: kubectl --context berth rollout undo");
        assertThat(versionOf(deployment(name))).as("nothing changed").isEqualTo("v2");
        String[] get = cli("get", "pods");
        assertThat(get[0]).isEqualTo("2");
        assertThat(get[2]).contains("'berth get' is kubectl's: kubectl --context berth get");
    }

    @Test
    void undoGoesBackToAGivenRevision() {
        String name = "undo";
        for (String v : List.of("v1", "v2", "v3")) {
            admin.apply(manifest(name, 1, v, null, ""), "default", false);
            awaitRolledOut(name);
        }
        assertThat(RolloutHistory.of(replicaSets(name))).extracting(RolloutHistory.Revision::number).containsExactly(1L, 2L, 3L);
        admin.rollout("default", name, new RolloutAction.Undo(1));
        assertThat(versionOf(deployment(name))).isEqualTo("v1");
        awaitRolledOut(name);
        assertThat(RolloutHistory.of(replicaSets(name))).extracting(RolloutHistory.Revision::number).containsExactly(2L, 3L, 4L);
        // plain undo: back to the previous revision (v3, now revision 5)
        admin.rollout("default", name, new RolloutAction.Undo(0));
        assertThat(versionOf(deployment(name))).isEqualTo("v3");
        awaitRolledOut(name);
        // a revision that does not exist is refused and changes nothing
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> admin.rollout("default", name, new RolloutAction.Undo(42)))
                .hasMessageContaining("unable to find specified revision 42");
        assertThat(versionOf(deployment(name))).isEqualTo("v3");
    }

    @Test
    void aPausedRolloutHoldsUntilResumed() {
        String name = "paused";
        admin.apply(manifest(name, 3, "v1", 3000, null, ""), "default", false);
        awaitRolledOut(name);
        admin.apply(manifest(name, 3, "v2", 3000, null, ""), "default", false);
        await().atMost(60, SECONDS).until(() -> deployment(name).getStatus().getUpdatedReplicas() >= 1);
        admin.rollout("default", name, new RolloutAction.Pause());
        await().atMost(10, SECONDS).until(() -> DeploymentConditions.find(deployment(name).getStatus(), "Progressing")
                .map(c -> "DeploymentPaused".equals(c.getReason())).orElse(false));
        Map<String, Integer> held = specReplicas(name);
        await().during(6, SECONDS).atMost(10, SECONDS).until(() -> specReplicas(name).equals(held));
        assertThat(status(name).done()).isFalse();
        admin.rollout("default", name, new RolloutAction.Resume());
        awaitRolledOut(name);
        assertThat(versionOf(deployment(name))).isEqualTo("v2");
    }

    static Map<String, Integer> specReplicas(String name) {
        return replicaSets(name).stream().collect(Collectors.toMap(rs -> rs.getMetadata().getName(), rs -> rs.getSpec().getReplicas()));
    }

    @Test
    void restartRollsEveryPodAndACoreCrashMidRolloutResumesIt() {
        String name = "restarted";
        admin.apply(manifest(name, 3, "v1", 2000, null, ""), "default", false);
        awaitRolledOut(name);
        Set<String> before = activePods(name).stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        admin.rollout("default", name, new RolloutAction.Restart());
        await().atMost(60, SECONDS).until(() -> deployment(name).getStatus().getUpdatedReplicas() >= 1);
        core.crash();
        core.start();
        admin = core.admin();
        awaitRolledOut(name);
        assertThat(activePods(name)).hasSize(3).noneMatch(p -> before.contains(p.getMetadata().getName()));
        assertThat(RolloutHistory.of(replicaSets(name))).extracting(RolloutHistory.Revision::number).containsExactly(1L, 2L);
    }
}
