package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.KubernetesEngine;
import dev.berth.platform.model.ResourceKind;
import dev.berth.testing.ServiceProcess;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

/**
 * The packaged core ({@code target/quarkus-app/quarkus-run.jar}) as a real process with its own state directory,
 * API port, proxy port range and tokens for each role. Restartable on the same state (what a crashed core
 * finds on disk), killable with SIGKILL.
 */
final class CoreUnderTest implements AutoCloseable {

    static final String ADMIN = "admin-token-0123456789abcdef-0123456789";
    static final String DEPLOYER = "deployer-token-0123456789abcdef-01234567";
    static final String VIEWER = "viewer-token-0123456789abcdef-0123456789";
    /** What Prometheus discovers with: the Pod list and /berth/v1/sd/prometheus only */
    static final String DISCOVERY = "discovery-token-0123456789abcdef-0123456";

    final Path state;
    final ServiceProcess process;
    final int proxyRangeStart;
    /** One fabric8 client per token, as a user keeps one kubeconfig context; closed with the core */
    private final Map<String, KubernetesEngine> clients = new HashMap<>();

    CoreUnderTest(String name, Map<String, String> extraEnv) {
        try {
            this.state = Files.createDirectories(Path.of("target", "it-state", name + "-" + System.nanoTime()).toAbsolutePath());
            Files.writeString(state.resolve("tokens"), ADMIN + " admin test-admin\n" + DEPLOYER + " deployer ci\n" + VIEWER + " viewer ops\n"
                    + DISCOVERY + " discovery prometheus\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.proxyRangeStart = 31000 + ThreadLocalRandom.current().nextInt(0, 60) * 100;
        Map<String, String> env = new HashMap<>();
        env.put("BERTH_STATE_DIR", state.toString());
        env.put("BERTH_AUTH_TOKENS_FILE", state.resolve("tokens").toString());
        env.put("BERTH_PROXY_PORT_RANGE_START", Integer.toString(proxyRangeStart));
        env.put("BERTH_APISERVER_SECURE_PORT", "0"); // several cores may run at once
        env.put("BERTH_RUNTIME_INITIAL_BACKOFF", "1s");
        env.put("BERTH_RUNTIME_MAX_BACKOFF", "4s");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        // the ITs' scheduling expectations (a 3-CPU hog per node, a drained node's replicas fitting on one other) are written
        // for nodes of 4 CPUs and 8 GiB, not for the share of the CI machine that nodes without their own size get
        for (int node = 0; node < 3; node++) {
            env.put("BERTH_NODES_" + node + "__CPU", "4");
            env.put("BERTH_NODES_" + node + "__MEMORY", "8Gi");
        }
        env.putAll(extraEnv);
        this.process = ServiceProcess.of("core-" + name, "berth.core.jar", env, state.resolve("logs"));
    }

    CoreUnderTest start() {
        process.start();
        return this;
    }

    synchronized Engine as(String token) {
        return clients.computeIfAbsent(token, t -> KubernetesEngine.local(URI.create(process.url()), t));
    }

    Engine admin() {
        return as(ADMIN);
    }

    /** SIGKILL: the core dies as in a crash; its replicas keep running. */
    void crash() {
        process.kill();
    }

    /** OS processes of replicas started from this core's state directory. */
    List<ProcessHandle> replicaProcesses() {
        String marker = state.toString();
        return ProcessHandle.allProcesses()
                // the kubelet's jcmd, having a first replica write its class-data archive (a path in the state dir), is no replica
                .filter(h -> h.info().commandLine().map(c -> c.contains(marker) && !c.contains("quarkus-run.jar") && !c.contains("/bin/jcmd ")).orElse(false))
                .toList();
    }

    void awaitNoReplicaProcesses() {
        await("no replica process left").atMost(60, SECONDS).until(() -> replicaProcesses().isEmpty());
    }

    /**
     * What a failed convergence needs to be understood without the state directory (gone with CI's workspace):
     * every pod's phase, conditions and last log lines, and the namespace's events.
     */
    String diagnostics(String namespace) {
        StringBuilder out = new StringBuilder("\n--- core diagnostics, namespace ").append(namespace).append(" ---\n");
        try {
            Engine admin = admin();
            for (Pod p : admin.<Pod>list(ResourceKind.POD, namespace, null)) {
                out.append("pod ").append(p.getMetadata().getName()).append(" node=").append(p.getSpec().getNodeName())
                        .append(" phase=").append(p.getStatus() == null ? null : p.getStatus().getPhase()).append('\n');
                if (p.getStatus() != null) {
                    p.getStatus().getConditions().forEach(c -> out.append("  ").append(c.getType()).append('=').append(c.getStatus())
                            .append(c.getMessage() == null ? "" : " " + c.getMessage()).append('\n'));
                    p.getStatus().getContainerStatuses().forEach(c -> out.append("  container ").append(c.getName())
                            .append(" restarts=").append(c.getRestartCount()).append(" state=").append(c.getState()).append('\n'));
                }
                try (var logs = admin.logs(namespace, p.getMetadata().getName(), 15, false)) {
                    for (String line : new String(logs.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        out.append("  | ").append(line).append('\n');
                    }
                } catch (RuntimeException | IOException e) {
                    out.append("  (no logs: ").append(e.getMessage()).append(")\n");
                }
            }
            for (Event e : admin.<Event>list(ResourceKind.EVENT, namespace, null)) {
                out.append("event ").append(e.getType()).append(' ').append(e.getReason()).append(' ')
                        .append(e.getInvolvedObject() == null ? "" : e.getInvolvedObject().getName()).append(": ").append(e.getMessage())
                        .append(e.getCount() != null && e.getCount() > 1 ? " (x" + e.getCount() + ")" : "").append('\n');
            }
        } catch (RuntimeException e) {
            out.append("(core unreachable: ").append(e).append(")\n");
        }
        return out.toString();
    }

    /** Awaits {@code assertion} like Awaitility's untilAsserted; on time-out the failure carries {@link #diagnostics}. */
    void converge(String namespace, Duration atMost, ThrowingRunnable assertion) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).untilAsserted(assertion);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + diagnostics(namespace), e);
        }
    }

    /** For {@code @AfterAll}: closes a core that may not have started, and waits until none of its replicas runs. */
    static void shutDown(CoreUnderTest core) {
        if (core != null) {
            core.close();
            core.awaitNoReplicaProcesses();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            clients.values().forEach(KubernetesEngine::close);
            clients.clear();
        }
        process.stop();
        replicaProcesses().forEach(ProcessHandle::destroyForcibly);
    }
}
