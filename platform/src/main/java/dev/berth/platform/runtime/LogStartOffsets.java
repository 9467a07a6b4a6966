package dev.berth.platform.runtime;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.store.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Where each replica log file's retained bytes begin — Kafka's "log start offset": {@link LogRotation} has released
 * (punched out) everything before it, which now reads as zeros, so every reader starts there. Always the start of a
 * line. Kept per path with the file's inode (a file re-created at the path starts at 0) in one JSON file, replaced
 * durably ({@link PrivateFiles}) before any byte is released: after a crash the recorded start is never behind what
 * was released. Thread-safe: one writer (the rotation), any number of readers, who see a new start before its bytes
 * are released.
 */
public final class LogStartOffsets {

    /** The retained bytes of the file with this inode begin at {@code offset}. */
    public record Start(long inode, long offset) {}

    private static final Logger LOG = Logger.getLogger(LogStartOffsets.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private volatile Map<Path, Start> starts;

    private LogStartOffsets(Path file, Map<Path, Start> starts) {
        this.file = file;
        this.starts = starts;
    }

    /**
     * Reads the starts a previous run recorded. A file that cannot be read is set aside ({@code .unreadable}) with a
     * warning and every start taken as 0: the next rotation pass records them again (the rotation's arithmetic only
     * moves forward, so it finds at least the old starts), and until then a reader may see zeros, never lose a line.
     */
    public static LogStartOffsets load(Path file) {
        if (!Files.exists(file)) {
            return new LogStartOffsets(file, Map.of());
        }
        try {
            Map<String, Start> stored = JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, Start>>() {});
            Map<Path, Start> starts = new HashMap<>();
            stored.forEach((path, start) -> starts.put(key(Path.of(path)), start));
            return new LogStartOffsets(file, Map.copyOf(starts));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot read the log start offsets %s (%s); set aside, recorded again by the next rotation pass", file, e.toString());
            try {
                PrivateFiles.move(file, file.resolveSibling(file.getFileName() + ".unreadable"));
            } catch (IOException moving) {
                LOG.warnf("cannot set %s aside: %s", file, moving.toString());
            }
            return new LogStartOffsets(file, Map.of());
        }
    }

    /** The offset where {@code log}'s retained lines begin: 0 if nothing was released from the file now at that path. */
    public long of(Path log) {
        Start start = starts.get(key(log));
        if (start == null) {
            return 0;
        }
        try {
            boolean same = inode(log) == start.inode() && Files.size(log) >= start.offset();
            return same ? start.offset() : 0;
        } catch (NoSuchFileException gone) {
            return 0;
        } catch (IOException e) {
            return 0; // unreadable now: a reader fails on its own open
        }
    }

    /**
     * Replaces every start with {@code next} (the files present, each at its start, 0 left out): durably first, then
     * visible to readers. Rotation thread only.
     */
    void record(Map<Path, Start> next) throws IOException {
        Map<Path, Start> keyed = new HashMap<>();
        next.forEach((path, start) -> keyed.put(key(path), start));
        if (keyed.equals(starts)) {
            return;
        }
        Map<String, Start> stored = new TreeMap<>();
        keyed.forEach((path, start) -> stored.put(path.toString(), start));
        PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
        PrivateFiles.writeAtomically(file, JSON.writeValueAsBytes(stored));
        starts = Map.copyOf(keyed);
    }

    /** The file's inode: a file re-created at the same path is another file. */
    public static long inode(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
    }

    static Path key(Path log) {
        return log.toAbsolutePath().normalize();
    }
}
