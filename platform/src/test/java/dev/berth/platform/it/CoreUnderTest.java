package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.cli.RemoteEngine;
import dev.berth.testing.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The packaged core ({@code target/quarkus-app/quarkus-run.jar}) as a real process with its own state directory,
 * API port, proxy port range and tokens for each role. Restartable on the same state (what a crashed core
 * finds on disk), killable with SIGKILL.
 */
final class CoreUnderTest implements AutoCloseable {

    static final String ADMIN = "admin-token-0123456789abcdef";
    static final String DEPLOYER = "deployer-token-0123456789abcdef";
    static final String VIEWER = "viewer-token-0123456789abcdef";

    final Path state;
    final ServiceProcess process;
    final int proxyRangeStart;

    CoreUnderTest(String name, Map<String, String> extraEnv) {
        try {
            this.state = Files.createDirectories(Path.of("target", "it-state", name + "-" + System.nanoTime()).toAbsolutePath());
            Files.writeString(state.resolve("tokens"), ADMIN + " admin test-admin\n" + DEPLOYER + " deployer ci\n" + VIEWER + " viewer ops\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.proxyRangeStart = 31000 + ThreadLocalRandom.current().nextInt(0, 60) * 100;
        Map<String, String> env = new HashMap<>();
        env.put("BERTH_STATE_DIR", state.toString());
        env.put("BERTH_AUTH_TOKENS_FILE", state.resolve("tokens").toString());
        env.put("BERTH_PROXY_PORT_RANGE_START", Integer.toString(proxyRangeStart));
        env.put("BERTH_RUNTIME_INITIAL_BACKOFF", "1s");
        env.put("BERTH_RUNTIME_MAX_BACKOFF", "4s");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.putAll(extraEnv);
        this.process = ServiceProcess.of("core-" + name, "berth.core.jar", env, state.resolve("logs"));
    }

    CoreUnderTest start() {
        process.start();
        return this;
    }

    RemoteEngine as(String token) {
        return new RemoteEngine(URI.create(process.url()), token);
    }

    RemoteEngine admin() {
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
                .filter(h -> h.info().commandLine().map(c -> c.contains(marker) && !c.contains("quarkus-run.jar")).orElse(false))
                .toList();
    }

    void awaitNoReplicaProcesses() {
        await("no replica process left").atMost(60, SECONDS).until(() -> replicaProcesses().isEmpty());
    }

    @Override
    public void close() {
        process.stop();
        replicaProcesses().forEach(ProcessHandle::destroyForcibly);
    }
}
