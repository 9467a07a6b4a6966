package dev.berth.platform.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Removes the log files of container instances older than the previous one: the kubelet keeps the current
 * instance's log and the last terminated one's (what {@code kubectl logs --previous} reads; upstream's container
 * garbage collection keeps one dead container per container). A file goes only once the log shipper has every line
 * of it ({@link ShippedLogs}), so a retired instance's lines still reach Elasticsearch. Not thread-safe: the kubelet's
 * log thread runs it.
 */
public final class RetiredLogs {

    private final PodDirectories dirs;
    private final ShippedLogs shipped;

    public RetiredLogs(PodDirectories dirs, ShippedLogs shipped) {
        this.dirs = dirs;
        this.shipped = shipped;
    }

    /** @return the files removed */
    public List<Path> remove() throws IOException {
        Map<String, List<Path>> byContainer = new TreeMap<>();
        for (Path log : dirs.logFiles()) {
            String container = PodDirectories.containerOf(log);
            if (container != null) {
                byContainer.computeIfAbsent(log.getParent() + "/" + container, k -> new ArrayList<>()).add(log);
            }
        }
        List<Path> removed = new ArrayList<>();
        for (List<Path> instances : byContainer.values()) {
            instances.sort(Comparator.comparingInt(PodDirectories::instanceOf));
            for (Path log : instances.subList(0, Math.max(0, instances.size() - 2))) {
                try {
                    if (shipped.shippedUpTo(log, LogStartOffsets.inode(log)) >= Files.size(log)) {
                        Files.deleteIfExists(log);
                        removed.add(log);
                    }
                } catch (NoSuchFileException gone) {
                    // removed meanwhile (the pod was deleted)
                }
            }
        }
        return removed;
    }
}
