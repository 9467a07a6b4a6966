package dev.berth.platform.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a replica's files live under the core's state directory: {@code pods/<ns>/<pod>/} holds its logs,
 * {@code tmp} and emptyDir volumes (gone with the pod); {@code volumes/<ns>/<claim>-<pod>/} holds a
 * StatefulSet ordinal's persistent volume, which outlives the pod so the next pod of that ordinal finds it.
 */
public final class PodDirectories {

    private final Path stateDir;
    private final boolean keepLogs;

    public PodDirectories(Path stateDir) {
        this(stateDir, false);
    }

    /** @param keepLogs leave a deleted pod's {@code logs/} for the log shipper, which removes each file once shipped */
    public PodDirectories(Path stateDir, boolean keepLogs) {
        this.stateDir = stateDir;
        this.keepLogs = keepLogs;
    }

    public Path podDir(String namespace, String pod) {
        return stateDir.resolve("pods").resolve(namespace).resolve(pod);
    }

    public Path logFile(String namespace, String pod, String container) {
        return podDir(namespace, pod).resolve("logs").resolve(container + ".log");
    }

    public Path tmp(Pod pod) {
        return create(podDir(pod.getMetadata().getNamespace(), pod.getMetadata().getName()).resolve("tmp"));
    }

    public Path emptyDir(Pod pod, String volume) {
        return create(podDir(pod.getMetadata().getNamespace(), pod.getMetadata().getName()).resolve("volumes").resolve(volume));
    }

    /** A StatefulSet pod's claim, named as Kubernetes names the PVC: {@code <claim>-<pod>}. */
    public Path claim(Pod pod, String claim) {
        return create(stateDir.resolve("volumes").resolve(pod.getMetadata().getNamespace()).resolve(claim + "-" + pod.getMetadata().getName()));
    }

    public void deletePodDir(String namespace, String pod) {
        Path dir = podDir(namespace, pod);
        if (!Files.exists(dir)) {
            return;
        }
        Path logs = dir.resolve("logs");
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (keepLogs && (p.startsWith(logs) || p.equals(dir))) {
                    continue;
                }
                Files.deleteIfExists(p);
            }
            if (keepLogs && !Files.exists(logs)) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    static Path create(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
