package dev.berth.platform.runtime;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The kubelet's container log rotation (upstream's {@code ContainerLogManager}): keeps each replica's log file near
 * {@link LogRotationPolicy#maxSize()} × {@link LogRotationPolicy#maxFiles()} bytes on disk by releasing the oldest
 * parts — punching them out of the file ({@code fallocate --punch-hole}, util-linux) — once they are beyond the
 * policy <em>and</em> durably shipped. The file keeps its name, its inode and its offsets; only its blocks go.
 *
 * <p>Why holes rather than rename-and-reopen (the kubelet's way) or copy-truncate:
 * <ul>
 *   <li>The replica writes through its own descriptor, opened {@code O_APPEND} by the core
 *       ({@code ProcessBuilder.Redirect.appendTo}) and inherited, so it outlives a core restart. Nothing can make that
 *       process reopen its log (upstream asks the CRI runtime, {@code ReopenContainerLog}), so after a rename it would
 *       keep writing into the rotated file.</li>
 *   <li>Copy-truncate loses what the replica appends between the copy and the truncate; no careful ordering closes
 *       that window without the writer's help.</li>
 *   <li>A pipe to a per-replica writer (Debian has apache2-utils' {@code rotatelogs} and daemontools'
 *       {@code multilog}) would rotate like upstream and costs the writer no throughput (measured,
 *       {@code ci/bench-log-rotation.sh}), but it is one more process per replica that must outlive the core and be
 *       adopted with it; its death silently drops the replica's output (a JVM's {@code System.out} swallows
 *       {@code EPIPE}); its files would have to be followed by the shipper across renames; and
 *       {@code rotatelogs -n} overwrites its oldest file in place, so a path and inode — what the shipper's document
 *       ids are built from — would name other lines.</li>
 *   <li>Punching holes changes nothing for the writer, keeps every offset stable — so the shipper's checkpoints and
 *       document ids, and readers' positions, stay valid across a rotation and a core restart — and releases exactly
 *       the blocks asked for. The price: the file's apparent size ({@code ls -l}) keeps growing while {@code du}
 *       stays bounded; ext4 caps one file at 16 TiB of offsets (half a year of a steady 1 MiB/s; then the replica's
 *       writes fail), and a file system without hole punching (some network file systems) is warned about once and
 *       its logs are not released.</li>
 * </ul>
 *
 * <p>A pass, for each log file: the new start is the oldest offset the policy keeps, but never past what the log
 * shipper has durably checkpointed ({@link ShippedLogs}), moved to the next line start; it is recorded durably in
 * {@link LogStartOffsets} (readers see it from then on), and only then are the bytes before it punched. A crash
 * between the two leaves a start with its bytes still there, punched by the next pass; punching is idempotent. While
 * the shipper is behind (Elasticsearch down), unshipped bytes stay: disk use grows by its lag
 * ({@code berth_logs_lag_bytes}) rather than a line being lost.
 *
 * <p>Not thread-safe: one pass at a time (the kubelet's rotation thread).
 */
public final class LogRotation {

    private static final Logger LOG = Logger.getLogger(LogRotation.class);

    /** Released (or to be released) from {@code file}: every byte before {@code to}, of which this run had released {@code from}. */
    public record Move(Path file, long inode, long from, long to) {}

    private final PodDirectories dirs;
    private final LogRotationPolicy policy;
    private final LogStartOffsets starts;
    private final ShippedLogs shipped;
    /** What this run has punched per file; empty after a restart, so every recorded start is punched once again. */
    private final Map<Path, LogStartOffsets.Start> released = new HashMap<>();
    private String lastFailure;

    public LogRotation(PodDirectories dirs, LogRotationPolicy policy, LogStartOffsets starts, ShippedLogs shipped) {
        this.dirs = dirs;
        this.policy = policy;
        this.starts = starts;
        this.shipped = shipped;
    }

    public LogRotationPolicy policy() {
        return policy;
    }

    /**
     * One pass over every log file (also those of deleted pods the shipper still holds).
     *
     * @return the moves made: their starts are recorded and their bytes released
     * @throws IOException when the starts cannot be recorded (then nothing is released)
     */
    public List<Move> rotate() throws IOException {
        if (!policy.enabled()) {
            return List.of();
        }
        List<Move> moves = plan();
        for (Move m : moves) {
            if (release(m)) {
                released.put(m.file(), new LogStartOffsets.Start(m.inode(), m.to()));
            }
        }
        return moves;
    }

    /**
     * The first half of {@link #rotate()}: decides and durably records the new starts, releasing nothing (what a crash
     * right after it leaves behind; the next run's first pass releases them).
     */
    public List<Move> plan() throws IOException {
        List<Move> moves = new ArrayList<>();
        Map<Path, LogStartOffsets.Start> next = new HashMap<>();
        for (Path log : dirs.logFiles()) {
            long inode;
            long size;
            try {
                inode = LogStartOffsets.inode(log);
                size = Files.size(log);
            } catch (NoSuchFileException gone) {
                continue;
            }
            long start = starts.of(log);
            long shippedTo = shipped.shippedUpTo(log, inode);
            long target = Math.min(policy.keepFrom(size), shippedTo);
            long to = start;
            if (target > start) {
                // the shipper's checkpoint is a line start already; the policy's cut usually falls inside a line
                to = Math.max(start, target == shippedTo ? target : nextLineStart(log, target, Math.min(size, shippedTo)));
            }
            LogStartOffsets.Start punched = released.get(log);
            long done = punched != null && punched.inode() == inode ? punched.offset() : 0;
            if (to > done) {
                moves.add(new Move(log, inode, done, to));
            }
            if (to > 0) {
                next.put(log, new LogStartOffsets.Start(inode, to));
            }
        }
        starts.record(next);
        released.keySet().retainAll(next.keySet());
        return moves;
    }

    /** The first line start at or after {@code from} and before {@code limit}, else {@code -1}. */
    static long nextLineStart(Path log, long from, long limit) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            long pos = from - 1; // the byte before: a newline there makes `from` itself a line start
            while (pos < limit - 1) {
                buffer.clear();
                int n = ch.read(buffer, pos);
                if (n <= 0) {
                    return -1;
                }
                for (int i = 0; i < n && pos + i < limit - 1; i++) {
                    if (buffer.get(i) == '\n') {
                        return pos + i + 1;
                    }
                }
                pos += n;
            }
            return -1;
        }
    }

    /** Punches {@code [0, to)}: idempotent, so a range a crash left unpunched is covered by the next move. */
    private boolean release(Move m) throws InterruptedIOException {
        try {
            Process p = new ProcessBuilder("fallocate", "--punch-hole", "--offset", "0", "--length", Long.toString(m.to()), m.file().toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() == 0) {
                return true;
            }
            failed("fallocate --punch-hole on " + m.file() + ": " + out);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted releasing the log " + m.file());
        } catch (IOException e) {
            failed("fallocate: " + e.getMessage()); // not installed: util-linux (ci/bootstrap.sh)
            return false;
        }
    }

    private void failed(String message) {
        String reason = message.substring(message.lastIndexOf(':') + 1).strip(); // once per cause, not per file and pass
        if (!reason.equals(lastFailure)) {
            LOG.warnf("cannot release rotated replica log space (%s); these logs keep their blocks until it works", message);
            lastFailure = reason;
        }
    }
}
