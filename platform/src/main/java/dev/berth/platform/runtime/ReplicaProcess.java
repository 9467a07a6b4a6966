package dev.berth.platform.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One running container process, started here or adopted after a core restart. Its identity is
 * {@code berth://<pid>@<start-millis>} (stored as the container's {@code containerID}), so a recycled pid is
 * never mistaken for it. Thread-safe.
 */
public final class ReplicaProcess {

    private final ProcessHandle handle;
    private final Instant started;
    private final CompletableFuture<Integer> exit;

    private ReplicaProcess(ProcessHandle handle, Instant started, CompletableFuture<Integer> exit) {
        this.handle = handle;
        this.started = started;
        this.exit = exit;
    }

    /**
     * Starts the process, as the spec's user when the core runs as root ({@code setpriv} then execs the command, so
     * the pid is the command's); stdout and stderr are appended to the spec's log file, opened by the core.
     */
    public static ReplicaProcess start(LaunchSpec spec) throws IOException {
        Files.createDirectories(spec.logFile().getParent());
        List<String> command = spec.runAs() == null ? spec.command() : spec.runAs().command(spec.command(), RunAs.coreUid());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(spec.workingDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear(); // never leak the core's environment into a replica
        builder.environment().putAll(spec.env());
        Process process = builder.start();
        ProcessHandle h = process.toHandle();
        Instant started = h.info().startInstant().orElse(Instant.now());
        return new ReplicaProcess(h, started, process.onExit().thenApply(Process::exitValue));
    }

    /**
     * Re-attaches to a process started by an earlier run of the core, if it is still the same process.
     *
     * @param containerId {@code berth://<pid>@<start-millis>}
     */
    public static Optional<ReplicaProcess> adopt(String containerId) {
        if (containerId == null || !containerId.startsWith("berth://")) {
            return Optional.empty();
        }
        String[] parts = containerId.substring("berth://".length()).split("@");
        long pid;
        long startMillis;
        try {
            pid = Long.parseLong(parts[0]);
            startMillis = Long.parseLong(parts[1]);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException notOurs) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().startInstant().map(i -> Math.abs(i.toEpochMilli() - startMillis) < 1000).orElse(false))
                .map(h -> new ReplicaProcess(h, Instant.ofEpochMilli(startMillis),
                        // not our child: its exit code is unknown to us; report 137-like "killed" semantics as -1
                        h.onExit().thenApply(x -> -1)));
    }

    public String containerId() {
        return "berth://" + handle.pid() + "@" + started.toEpochMilli();
    }

    public long pid() {
        return handle.pid();
    }

    public Instant started() {
        return started;
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /**
     * Completes with the exit code when the process ends (-1 when it was adopted and the code is unknown). Each call
     * returns its own copy: a caller that completes or times out what it got (a preStop sleep's
     * {@code completeOnTimeout}) cannot make the process look gone to anyone else — {@link #stop} included.
     */
    public CompletableFuture<Integer> onExit() {
        return exit.copy();
    }

    /**
     * SIGTERM, then SIGKILL once {@code grace} has passed; descendants are killed too. Blocks until the process
     * is gone.
     */
    public void stop(Duration grace) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            exit.get(Math.max(grace.toMillis(), 1), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        } catch (java.util.concurrent.ExecutionException e) {
            kill();
        }
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** SIGKILL now (a node failure, an unrecoverable liveness failure); blocks until it is gone. */
    public void kill() {
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
        exit.copy().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> -1).join(); // a copy: the real exit still comes
    }
}
