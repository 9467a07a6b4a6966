package dev.berth.platform.runtime;

import java.nio.file.Path;

/** How far the log shipper has durably shipped each log file: {@link LogRotation} never releases a byte beyond it. */
@FunctionalInterface
public interface ShippedLogs {

    /** No shipper runs: every byte counts as shipped. */
    ShippedLogs NO_SHIPPER = (file, inode) -> Long.MAX_VALUE;

    /**
     * The offset before which every line of {@code file} (the one with this inode) is acknowledged and its checkpoint
     * is on disk; 0 when nothing is. Thread-safe.
     */
    long shippedUpTo(Path file, long inode);
}
