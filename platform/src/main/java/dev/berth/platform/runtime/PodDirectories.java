package dev.berth.platform.runtime;

import dev.berth.platform.store.PathSegment;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a replica's files live under the core's state directory: {@code pods/<ns>/<pod>/} holds its logs,
 * {@code tmp} and emptyDir volumes (gone with the pod); {@code volumes/<ns>/<claim>-<pod>/} holds a
 * StatefulSet ordinal's persistent volume, which outlives the pod so the next pod of that ordinal finds it. Each
 * instance of a container (each start after a restart) writes its own log file, {@code logs/<container>[.<n>].log}.
 * Every name becomes exactly one path element below the state directory or is refused (StoreException
 * INVALID), whatever validated it upstream; deleting a pod's directory never follows a symbolic link.
 */
public final class PodDirectories {

    private final Path stateDir;
    private final boolean keepLogs;

    public PodDirectories(Path stateDir) {
        this(stateDir, false);
    }

    /** @param keepLogs leave a deleted pod's {@code logs/} for the log shipper, which removes each file once shipped */
    public PodDirectories(Path stateDir, boolean keepLogs) {
        this.stateDir = stateDir.toAbsolutePath().normalize();
        this.keepLogs = keepLogs;
    }

    public Path podDir(String namespace, String pod) {
        Path namespaceDir = PathSegment.resolve(stateDir.resolve("pods"), "metadata.namespace", namespace);
        return PathSegment.resolve(namespaceDir, "metadata.name", pod);
    }

    /**
     * The log file of the container's current instance: the newest of {@link #instanceLogs}, or the first instance's
     * ({@code <container>.log}) while there is none.
     */
    public Path logFile(String namespace, String pod, String container) {
        List<Path> instances = instanceLogs(namespace, pod, container);
        return instances.isEmpty() ? firstLogFile(namespace, pod, container) : instances.get(instances.size() - 1);
    }

    /**
     * The log file a new instance of the container writes, so that the instance before it keeps its own (what
     * {@code kubectl logs --previous} reads): {@code <container>.log} for the first, then {@code <container>.<n>.log}
     * numbered on from the newest file present. Nothing is created.
     */
    public Path nextLogFile(String namespace, String pod, String container) {
        List<Path> instances = instanceLogs(namespace, pod, container);
        if (instances.isEmpty()) {
            return firstLogFile(namespace, pod, container);
        }
        int next = instanceOf(instances.get(instances.size() - 1)) + 1;
        return firstLogFile(namespace, pod, container).resolveSibling(container + "." + next + ".log");
    }

    /** The log files of the container's instances present on disk, oldest first. */
    public List<Path> instanceLogs(String namespace, String pod, String container) {
        Path first = firstLogFile(namespace, pod, container);
        if (!Files.isDirectory(first.getParent())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(first.getParent())) {
            return files.filter(p -> container.equals(containerOf(p)) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted(Comparator.comparingInt(PodDirectories::instanceOf)).toList();
        } catch (NoSuchFileException gone) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + first.getParent(), e);
        }
    }

    private Path firstLogFile(String namespace, String pod, String container) {
        return PathSegment.resolve(podDir(namespace, pod).resolve("logs"), "spec.containers[].name", container + ".log");
    }

    /**
     * The container whose instance wrote a log file: {@code app} for {@code app.log} and {@code app.3.log} (a container
     * name is a DNS label, so it has no dot); null for a name of neither form.
     */
    public static String containerOf(Path log) {
        String name = log.getFileName().toString();
        if (!name.endsWith(".log") || name.length() == ".log".length()) {
            return null;
        }
        String stem = name.substring(0, name.length() - ".log".length());
        int dot = stem.lastIndexOf('.');
        if (dot < 0) {
            return stem;
        }
        String number = stem.substring(dot + 1);
        return dot > 0 && !number.isEmpty() && number.chars().allMatch(Character::isDigit) && number.length() < 10 ? stem.substring(0, dot) : null;
    }

    /** 0 for the first instance's {@code <container>.log}, n for {@code <container>.<n>.log}. */
    static int instanceOf(Path log) {
        String stem = log.getFileName().toString();
        stem = stem.substring(0, stem.length() - ".log".length());
        int dot = stem.lastIndexOf('.');
        return dot < 0 ? 0 : Integer.parseInt(stem.substring(dot + 1));
    }

    /** Every container log file, those of deleted pods the log shipper still holds included. */
    public List<Path> logFiles() throws IOException {
        return logFilesUnder(stateDir.resolve("pods"));
    }

    /** The container log files under a {@code pods/} directory: {@code <namespace>/<pod>/logs/<container>.log}. */
    public static List<Path> logFilesUnder(Path podsDir) throws IOException {
        if (!Files.isDirectory(podsDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.find(podsDir, 4, (p, a) -> a.isRegularFile() && p.getFileName().toString().endsWith(".log")
                && p.getParent().getFileName().toString().equals("logs"))) {
            return files.toList();
        }
    }

    public Path tmp(Pod pod) {
        return create(podDir(pod.getMetadata().getNamespace(), pod.getMetadata().getName()).resolve("tmp"));
    }

    public Path emptyDir(Pod pod, String volume) {
        return create(PathSegment.resolve(podDir(pod.getMetadata().getNamespace(), pod.getMetadata().getName()).resolve("volumes"),
                "spec.volumes[].name", volume));
    }

    /**
     * The directory of the claim behind the pod's volume {@code volume}: {@code volumes/<ns>/<claimName>} when the volume
     * is a {@code persistentVolumeClaim} (what the StatefulSet controller gives each claim template, and what a pod
     * naming a claim it was given by hand has), else {@code volumes/<ns>/<volume>-<pod>} (how Kubernetes names a
     * StatefulSet's claim, for a pod written before claims were objects). Created when first asked for.
     */
    public Path claim(Pod pod, String volume) {
        Path namespaceDir = PathSegment.resolve(stateDir.resolve("volumes"), "metadata.namespace", pod.getMetadata().getNamespace());
        List<Volume> volumes = pod.getSpec() == null || pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
        for (Volume v : volumes) {
            if (v.getName().equals(volume) && v.getPersistentVolumeClaim() != null && v.getPersistentVolumeClaim().getClaimName() != null) {
                return create(PathSegment.resolve(namespaceDir, "spec.volumes[].persistentVolumeClaim.claimName", v.getPersistentVolumeClaim().getClaimName()));
            }
        }
        return create(PathSegment.resolve(namespaceDir, "spec.volumeClaimTemplates[].metadata.name", volume + "-" + pod.getMetadata().getName()));
    }

    /**
     * Removes a pod's directory and everything in it. Symbolic links found inside (a replica may plant one) are
     * removed themselves, never followed; a pod directory reached through a link out of the state directory is
     * refused.
     */
    public void deletePodDir(String namespace, String pod) {
        Path dir = podDir(namespace, pod);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path logs = dir.resolve("logs");
        try {
            Path real = dir.getParent().toRealPath();
            if (!real.startsWith(stateDir.toRealPath())) {
                throw new IOException(dir.getParent() + " resolves to " + real + ", outside " + stateDir);
            }
            Files.walkFileTree(dir, new SimpleFileVisitor<>() { // does not follow links: a link is visited as a file
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return keepLogs && d.equals(logs) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    if (!(keepLogs && d.equals(dir) && Files.exists(logs, LinkOption.NOFOLLOW_LINKS))) {
                        Files.delete(d);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
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
