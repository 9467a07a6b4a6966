package dev.berth.platform.logs;

import dev.berth.platform.metrics.ScrapeTargets;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.runtime.LogStartOffsets;
import dev.berth.platform.runtime.PodDirectories;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds every replica container's log file under the core's {@code pods/<namespace>/<pod>/logs/<container>[.<n>].log}
 * (one per instance of the container) and describes it from the store: node, zone, revision, workload, service. A file whose pod is no longer in the
 * store (deleted while the core was down) is still shipped, with what its path tells. A deleted pod's files stay on
 * disk until the shipper has every line acknowledged and {@link #removeShipped removes} them, so a crash in between
 * loses nothing: the next start finds them and finishes them from the checkpoint.
 */
public final class LogSources {

    /** A log file found on disk, with its inode (a file recreated at the same path is another file). */
    record Found(Path path, long inode) {}

    private final Path podsDir;
    private final ObjectStore store;

    public LogSources(Path podsDir, ObjectStore store) {
        this.podsDir = podsDir;
        this.store = store;
    }

    List<Found> scan() throws IOException {
        List<Found> found = new ArrayList<>();
        for (Path p : PodDirectories.logFilesUnder(podsDir)) {
            try {
                found.add(new Found(p, inode(p)));
            } catch (IOException e) {
                // deleted between listing and reading its inode: nothing to ship from it
            }
        }
        return found;
    }

    static long inode(Path p) throws IOException {
        return LogStartOffsets.inode(p);
    }

    /** Whether {@code f} is still on disk at its path (not deleted, not replaced by another file). */
    static boolean onDisk(Found f) {
        try {
            return inode(f.path()) == f.inode();
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the pod that wrote {@code f} is no longer in the store: nothing will append to the file any more. */
    boolean podGone(Found f) {
        Path podDir = f.path().getParent().getParent();
        return store.get(new ObjectKey(ResourceKind.POD, podDir.getParent().getFileName().toString(), podDir.getFileName().toString())).isEmpty();
    }

    /** Removes a fully shipped file of a deleted pod, then its {@code logs/} and pod directory once they are empty. */
    void removeShipped(Found f) throws IOException {
        Files.deleteIfExists(f.path());
        Path logs = f.path().getParent();
        for (Path dir : List.of(logs, logs.getParent())) {
            try (Stream<Path> left = Files.list(dir)) {
                if (left.findAny().isPresent()) {
                    return;
                }
            } catch (java.nio.file.NoSuchFileException e) {
                continue;
            }
            Files.deleteIfExists(dir);
        }
    }

    LogSource describe(Found f) {
        Path logs = f.path().getParent();
        String pod = logs.getParent().getFileName().toString();
        String namespace = logs.getParent().getParent().getFileName().toString();
        String file = f.path().getFileName().toString();
        String container = Objects.requireNonNullElse(PodDirectories.containerOf(f.path()), file.substring(0, file.length() - ".log".length()));
        String fileId = namespace + "/" + pod + "/" + container + "/" + f.inode();
        Optional<Pod> found = store.get(new ObjectKey(ResourceKind.POD, namespace, pod));
        if (found.isEmpty()) {
            return new LogSource(namespace, pod, container, "", "", "", pod, container, f.path().toString(), fileId, null);
        }
        Pod p = found.get();
        List<Node> nodes = store.list(ResourceKind.NODE, null, null);
        List<ReplicaSet> sets = store.list(ResourceKind.REPLICASET, namespace, null);
        String node = p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName();
        return new LogSource(namespace, pod, container, node, ScrapeTargets.zone(nodes, node), ScrapeTargets.revision(p, sets),
                workload(p, sets), ScrapeTargets.service(p), f.path().toString(), fileId, p.getMetadata().getCreationTimestamp());
    }

    /** The Deployment or StatefulSet the pod belongs to (through its ReplicaSet), else the pod itself. */
    private static String workload(Pod p, List<ReplicaSet> sets) {
        return Owners.controllerOf(p).map(ref -> !"ReplicaSet".equals(ref.getKind()) ? ref.getName()
                : sets.stream().filter(rs -> rs.getMetadata().getName().equals(ref.getName())).findFirst()
                        .flatMap(Owners::controllerOf).map(o -> o.getName()).orElse(ref.getName()))
                .orElse(p.getMetadata().getName());
    }
}
