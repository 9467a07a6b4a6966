package dev.berth.platform.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The replica processes the kubelet started or adopted, one empty file each ({@code <pid>@<start-millis>}, the
 * container ID's identity) in {@code <state>/replicas/}, removed when the process exits. It outlives a crashed
 * core, so {@code berth down} kills exactly these processes — checked to still be the same process, so a recycled
 * pid or a bystander reading the state directory ({@code tail -f} on a log) is never touched. Thread-safe.
 */
public final class ReplicaLedger {

    private static final String SCHEME = "berth://";
    private final Path dir;

    public ReplicaLedger(Path stateDir) {
        this.dir = stateDir.resolve("replicas");
    }

    /** Records a running replica until it exits (the kubelet, for each process it starts or adopts). */
    public void track(ReplicaProcess process) {
        Path entry = dir.resolve(process.containerId().substring(SCHEME.length()));
        try {
            Files.createDirectories(dir);
            if (!Files.exists(entry)) {
                Files.createFile(entry);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record replica " + process.containerId() + " in " + dir, e);
        }
        process.onExit().whenComplete((code, error) -> forget(entry));
    }

    /** The recorded replicas still running as the same process; entries of processes that are gone are removed. */
    public List<ReplicaProcess> survivors() {
        List<ReplicaProcess> alive = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return alive;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*@*")) {
            for (Path entry : entries) {
                Optional<ReplicaProcess> same = ReplicaProcess.adopt(SCHEME + entry.getFileName());
                if (same.isPresent()) {
                    alive.add(same.get());
                } else {
                    forget(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return alive;
    }

    private static void forget(Path entry) {
        try {
            Files.deleteIfExists(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + entry, e);
        }
    }
}
