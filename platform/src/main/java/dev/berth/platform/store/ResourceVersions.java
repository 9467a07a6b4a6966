package dev.berth.platform.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The store-wide resourceVersion counter, which never goes back, across restarts too: before a version is handed
 * out, a high-water mark at or above it is on disk ({@code <store>/resource-version}), reserved {@link #BLOCK} at a
 * time, and a restarted store continues above the mark. So a version once given to an object, even a deleted
 * one, is never given again, and an update based on it cannot match a newer object. Not thread-safe: the store
 * serialises writes.
 */
final class ResourceVersions {

    private static final Logger LOG = Logger.getLogger(ResourceVersions.class);
    static final String FILE = "resource-version";
    /** Versions reserved per write of the mark: one fsynced write per this many changes; a restart skips at most this many. */
    static final long BLOCK = 1000;

    private final Path file;
    private volatile long current;
    private long reserved;

    /** @param stored the newest version among the stored objects (a store from before the mark existed has only that) */
    ResourceVersions(ObjectFiles files, long stored) {
        this.file = files.dir().resolve(FILE);
        long mark = 0;
        if (Files.exists(file)) {
            try {
                mark = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
            } catch (IOException | NumberFormatException e) {
                Path moved = files.quarantine(file);
                LOG.warnf("the resourceVersion mark %s could not be read (%s); moved to %s, continuing from the stored objects' %d",
                        file, e, moved, stored);
            }
        }
        this.current = Math.max(mark, stored);
        this.reserved = current;
    }

    /** The newest version handed out (after a restart: the mark, above everything handed out before). */
    long current() {
        return current;
    }

    /** The next version, durably reserved before it is returned. */
    long next() {
        long next = current + 1;
        if (next > reserved) {
            long mark = next + BLOCK - 1;
            try {
                PrivateFiles.writeAtomically(file, (mark + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot reserve resourceVersions up to " + mark + " in " + file, e);
            }
            reserved = mark;
        }
        current = next;
        return next;
    }
}
