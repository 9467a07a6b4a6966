package dev.berth.platform.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The core as a process of this machine: started from the packaged application, found again through its pid
 * file, stopped with SIGTERM (the core then stops every replica) and, as a last resort, SIGKILL.
 */
final class CoreProcess {

    private final Path stateDir;
    private final URI server;
    /** The core this object started, and its class-data archive (null before {@link #start}). */
    private Process started;
    private CoreArchive archive;

    CoreProcess(Path stateDir, URI server) {
        this.stateDir = stateDir;
        this.server = server;
    }

    Path pidFile() {
        return stateDir.resolve("core").resolve("core.pid");
    }

    Path logFile() {
        return stateDir.resolve("core").resolve("core.log");
    }

    boolean healthy() {
        try {
            HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()
                    .send(HttpRequest.newBuilder(server.resolve("/q/health/ready")).timeout(Duration.ofSeconds(2)).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Optional<ProcessHandle> running() {
        try {
            if (!Files.exists(pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile()).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains("quarkus-run.jar") || c.contains("berth")).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts the core in the background.
     *
     * @param detached in its own session (survives this terminal); otherwise it shares Ctrl-C with {@code berth up}
     */
    Process start(Path coreJar, boolean detached) {
        try {
            Files.createDirectories(logFile().getParent());
            String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            archive = CoreArchive.of(stateDir, coreJar, Path.of(java));
            List<String> command = new ArrayList<>();
            if (detached) {
                command.add("setsid");
            }
            command.addAll(archive.launcher());
            command.addAll(List.of(java, "-Xmx384m", "-XX:+UseSerialGC"));
            command.addAll(archive.flags());
            command.addAll(List.of("-jar", coreJar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("BERTH_STATE_DIR", stateDir.resolve("core").toString());
            builder.environment().put("BERTH_AUTH_ADMIN_TOKEN_FILE", stateDir.resolve("token").toString());
            // Prometheus' discovery token (ci/prometheus.sh): it lists Pods, nothing else
            builder.environment().put("BERTH_AUTH_DISCOVERY_TOKEN_FILE", stateDir.resolve("prometheus.token").toString());
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(server.getPort()));
            Process p = builder.start();
            Files.writeString(pidFile(), Long.toString(p.pid()));
            started = p;
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the core (" + coreJar + ")", e);
        }
    }

    /** Whether {@link #writeArchive()} has an archive to write (it then blocks for seconds: a JDK 25 AOT cache's assembly). */
    boolean writesArchive() {
        return started != null && archive != null && !archive.used() && started.isAlive();
    }

    /**
     * Once the core this object started has done its work (the application Ready, a pipeline run over): has it write
     * its class-data archive if it started without one ({@link CoreArchive}).
     *
     * @return a line for the user, or empty when this object started no core
     */
    Optional<String> writeArchive() {
        if (started == null || archive == null || !started.isAlive()) {
            return Optional.empty();
        }
        return Optional.of(archive.write(started.pid()));
    }

    /** SIGTERM, wait up to {@code grace} for the core to stop its replicas and exit, then SIGKILL. */
    boolean stop(Duration grace) {
        Optional<ProcessHandle> core = running();
        if (core.isEmpty()) {
            return false;
        }
        core.get().destroy();
        try {
            core.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            core.get().destroyForcibly();
        }
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }
}
