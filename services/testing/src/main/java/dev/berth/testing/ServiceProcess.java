package dev.berth.testing;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Quarkus service ({@code target/quarkus-app/quarkus-run.jar}) running as a real OS process on
 * a free loopback port, its stdout and stderr in a log file. {@link #start()} returns once
 * {@code /q/health/ready} answers 200; {@link #stop()} is SIGTERM then, after the grace period, SIGKILL.
 * A stopped process can be started again on the same port. Not thread-safe.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final Map<String, String> env;
    private final List<String> jvmArgs = new ArrayList<>();
    private final Path log;
    private final int port;
    private Process process;

    private ServiceProcess(String name, Path jar, Map<String, String> env, Path log, int port) {
        this.name = name;
        this.jar = jar;
        this.env = env;
        this.log = log;
        this.port = port;
    }

    /**
     * @param jarProperty system property holding the jar path (set by the build), e.g.
     *                    {@code payment-service.jar}
     */
    public static ServiceProcess of(String name, String jarProperty, Map<String, String> env, Path logDir) {
        String path = System.getProperty(jarProperty);
        if (path == null) {
            throw new IllegalStateException("system property " + jarProperty + " is not set (the build sets it)");
        }
        Path jar = Path.of(path);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: package " + name + " first (./mvnw package)");
        }
        return new ServiceProcess(name, jar, new LinkedHashMap<>(env), logDir.resolve(name + ".log"), freePort());
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds JVM arguments (e.g. {@code -Dkey=value}) for the next {@link #start()}. */
    public ServiceProcess withJvmArgs(String... args) {
        jvmArgs.addAll(List.of(args));
        return this;
    }

    public ServiceProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await(name + " ready on port " + port).atMost(90, SECONDS).pollInterval(100, MILLISECONDS)
                .failFast(name + " exited; see " + log, () -> !process.isAlive())
                .until(() -> status("/q/health/ready") == 200);
        return this;
    }

    /** SIGTERM, then SIGKILL after {@code grace}; returns the exit code. */
    public int stop(Duration grace) {
        if (process == null) {
            return -1;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }

    public int stop() {
        return stop(Duration.ofSeconds(30));
    }

    /** SIGKILL, as in a crash; waits until the process is gone. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Sends SIGTERM and returns at once (for graceful-shutdown tests). */
    public void terminate() {
        process.destroy();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The OS process id of the started process. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " was not started");
        }
        return process.pid();
    }

    /** Waits for the process to exit after {@link #terminate()}; returns its exit code. */
    public int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not exit within " + atMost);
        }
        return process.exitValue();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** HTTP status of a GET on this service, or -1 when nothing answers. */
    public int status(String path) {
        try {
            var request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
