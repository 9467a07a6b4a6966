package dev.berth.platform.runtime;

import dev.berth.platform.store.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * When each stretch of a replica's log was written — what the CRI log format records per line, and what a file the
 * replica writes straight into (through the descriptor the core gave it, see {@link LogRotation}) does not. The
 * kubelet samples every log file's size and modification time every {@link #RESOLUTION}; when a file grew it appends
 * a record (end offset, time): every byte before that offset was written at or before that time. A line's time is
 * that of the first record at or past its end: never before the line was written (so {@code sinceTime} never drops a
 * line written after it), and at most one resolution after (the file's mtime when the growth was seen, usually less).
 *
 * <p>Why beside the log and not in it: the replica's bytes stay exactly what it wrote, so the shipper's parsing and
 * the rotation's offsets are untouched, and the replica needs no pipe through a process that must outlive the core.
 * One index file per log file (its path and inode) under {@code <state>/log-times/}, 16 bytes a record, so the times
 * survive a core restart; lines written while the core was down get the mtime the first sample after it sees (when
 * their file was last written). An index whose log is gone is removed by the next sample, and one that grew long is
 * cut to the records after what rotation still retains ({@link LogStartOffsets}).
 *
 * <p>Thread-safety: {@link #sample} and {@link #record} from one thread (the kubelet's log thread); any number of
 * {@link Cursor}s on other threads — a record is appended whole, a compaction replaces the index by a rename.
 */
public final class LogTimes {

    /** How often the kubelet samples the logs, and so how late a line's time may be. */
    public static final Duration RESOLUTION = Duration.ofMillis(100);
    static final int RECORD = 16;
    /** Records an index may hold before what rotation retains before it is cut. */
    static final int COMPACT_AFTER = 4096;

    /** What the sampler knows of an index: its last record and how many it has. */
    private record Last(long offset, long nanos, long records) {}

    private final Path dir;
    private final LogStartOffsets starts;
    private final Clock clock;
    private final Map<Path, Last> last = new HashMap<>();

    public LogTimes(Path dir, LogStartOffsets starts, Clock clock) {
        this.dir = dir.toAbsolutePath().normalize();
        this.starts = starts;
        this.clock = clock;
    }

    /**
     * One pass: a record for each of {@code logs} that grew since its last one (its mtime as the time), then the
     * indexes of logs no longer in {@code logs} are removed.
     */
    public void sample(List<Path> logs) throws IOException {
        Set<Path> live = new HashSet<>();
        for (Path log : logs) {
            Map<String, Object> a;
            try {
                a = Files.readAttributes(log, "unix:ino,size,lastModifiedTime"); // one stat: size and mtime agree
            } catch (NoSuchFileException gone) {
                continue;
            }
            Path index = indexOf(log, ((Number) a.get("ino")).longValue());
            live.add(index);
            append(log, index, (Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).toInstant());
        }
        last.keySet().retainAll(live);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> indexes = Files.list(dir)) {
                for (Path index : indexes.filter(p -> !live.contains(p)).toList()) {
                    Files.deleteIfExists(index);
                }
            }
        }
    }

    /**
     * Records that every byte of {@code log} before {@code end} was written at or before {@code at} (the sampler's
     * step; a test's way to give lines known times). Times never go back, nor past now.
     */
    public void record(Path log, long end, Instant at) throws IOException {
        append(log, indexOf(log, LogStartOffsets.inode(log)), end, at);
    }

    private void append(Path log, Path index, long end, Instant at) throws IOException {
        Last l = last.get(index);
        if (l == null) {
            l = load(index);
        }
        if (end < l.offset()) { // the log shrank: another file at this path and inode; its times start over
            Files.deleteIfExists(index);
            l = new Last(0, Long.MIN_VALUE, 0);
        }
        if (end <= l.offset()) {
            last.put(index, l);
            return;
        }
        long nanos = Math.max(l.nanos(), nanos(min(at, clock.instant())));
        ByteBuffer r = ByteBuffer.allocate(RECORD).putLong(end).putLong(nanos).flip();
        PrivateFiles.createDirectories(dir);
        try (FileChannel ch = FileChannel.open(index, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                PosixFilePermissions.asFileAttribute(PrivateFiles.FILE))) {
            ch.write(r);
        }
        l = new Last(end, nanos, l.records() + 1);
        last.put(index, l);
        if (l.records() % COMPACT_AFTER == 0) {
            compact(log, index);
        }
    }

    /** Cuts the records at or before the log's retained start (no line read from now on ends there) once they are many. */
    private void compact(Path log, Path index) throws IOException {
        long start = starts.of(log);
        try (FileChannel ch = FileChannel.open(index, StandardOpenOption.READ)) {
            long count = ch.size() / RECORD;
            long drop = firstAfter(ch, count, start);
            if (drop < COMPACT_AFTER) {
                return;
            }
            ByteBuffer kept = ByteBuffer.allocate(Math.toIntExact((count - drop) * RECORD));
            while (kept.hasRemaining() && ch.read(kept, drop * RECORD + kept.position()) > 0) {
                // reads until the kept records are all in
            }
            PrivateFiles.writeAtomically(index, kept.array());
            Last l = last.get(index);
            last.put(index, new Last(l.offset(), l.nanos(), count - drop));
        }
    }

    /** The last record of an index on disk (a restart resumes from it); a record a crash left half written is cut off. */
    private static Last load(Path index) throws IOException {
        try (FileChannel ch = FileChannel.open(index, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long count = ch.size() / RECORD;
            if (ch.size() % RECORD != 0) {
                ch.truncate(count * RECORD);
            }
            if (count == 0) {
                return new Last(0, Long.MIN_VALUE, 0);
            }
            ByteBuffer r = ByteBuffer.allocate(RECORD);
            ch.read(r, (count - 1) * RECORD);
            return new Last(r.getLong(0), r.getLong(8), count);
        } catch (NoSuchFileException none) {
            return new Last(0, Long.MIN_VALUE, 0);
        }
    }

    /** A reader of the times of one log's lines, from offset {@code from} on. */
    public Cursor cursor(Path log, long from) {
        try {
            return new Cursor(log, from);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the times of " + log, e);
        }
    }

    /** The index of the log now at {@code log}; null while there is no such file. */
    private Path indexOf(Path log) throws IOException {
        try {
            return indexOf(log, LogStartOffsets.inode(log));
        } catch (NoSuchFileException none) {
            return null;
        }
    }

    /** The index of the log at this path with this inode. */
    Path indexOf(Path log, long inode) {
        try {
            byte[] path = log.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path);
            return dir.resolve(inode + "-" + HexFormat.of().formatHex(digest, 0, 8) + ".times");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The number of the first record whose offset is past {@code offset} ({@code count} if none): records ascend. */
    static long firstAfter(FileChannel ch, long count, long offset) throws IOException {
        long lo = 0;
        long hi = count;
        ByteBuffer r = ByteBuffer.allocate(8);
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            r.clear();
            ch.read(r, mid * RECORD);
            if (r.getLong(0) > offset) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /**
     * The times of one log's lines, asked in ascending order of their ends. A line the sampler has not seen yet (it
     * was written within the last resolution) gets the log's mtime now, also an upper bound. One reader's; only
     * {@link #close()} may come from another thread.
     */
    public final class Cursor implements AutoCloseable {
        private final Path log;
        private Path index;
        private final ByteBuffer block = ByteBuffer.allocate(RECORD * 256);
        private FileChannel channel;
        private Object channelKey;
        private long count;
        private long blockFirst = -1;
        private long next;
        private long lastNanos = Long.MIN_VALUE;
        private boolean closed;

        private Cursor(Path log, long from) throws IOException {
            this.log = log;
            this.index = indexOf(log);
            reopen(from);
        }

        /** The time of the line (or piece of one) that ends at {@code end}. */
        public synchronized Instant timeOf(long end) {
            try {
                if (closed) {
                    return last();
                }
                do {
                    while (next < count) {
                        if (!load(next)) {
                            count = next; // a record being appended: the next refresh sees it whole
                            break;
                        }
                        long offset = read(next, 0);
                        if (offset >= end) {
                            lastNanos = Math.max(lastNanos, read(next, 8));
                            return instant(lastNanos);
                        }
                        next++;
                    }
                } while (refreshed(end));
                lastNanos = Math.max(lastNanos, nanos(Files.getLastModifiedTime(log).toInstant()));
            } catch (NoSuchFileException gone) {
                // the log went (its pod was deleted): its last time stands for what is left of it
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the times of " + log, e);
            }
            return last();
        }

        /** The last time given (the epoch before any). */
        private Instant last() {
            return lastNanos == Long.MIN_VALUE ? Instant.EPOCH : instant(lastNanos);
        }

        /** Whether records came in since (appended, or the index was compacted into a new file). */
        private boolean refreshed(long end) throws IOException {
            if (index == null) {
                index = indexOf(log); // the log was not there when the read began
            }
            if (index == null || !Files.exists(index)) {
                return false;
            }
            Object key = Files.readAttributes(index, BasicFileAttributes.class).fileKey();
            if (!key.equals(channelKey)) {
                reopen(end - 1);
                return next < count;
            }
            long n = channel.size() / RECORD;
            if (n > count) {
                count = n;
                return true;
            }
            return false;
        }

        private void reopen(long from) throws IOException {
            release();
            blockFirst = -1;
            count = 0;
            next = 0;
            if (index == null) {
                return;
            }
            try {
                channel = FileChannel.open(index, StandardOpenOption.READ);
            } catch (NoSuchFileException none) {
                return;
            }
            channelKey = Files.readAttributes(index, BasicFileAttributes.class).fileKey();
            count = channel.size() / RECORD;
            next = firstAfter(channel, count, from);
        }

        /** Brings record {@code n} into the block (read a block at a time); false if it is not whole on disk. */
        private boolean load(long n) throws IOException {
            if (blockFirst < 0 || n < blockFirst || n >= blockFirst + block.limit() / RECORD) {
                block.clear();
                channel.read(block, n * RECORD);
                block.flip();
                blockFirst = n;
            }
            return n < blockFirst + block.limit() / RECORD;
        }

        /** The long at {@code at} (0: offset, 8: time) of record {@code n}, once {@link #load loaded}. */
        private long read(long n, int at) {
            return block.getLong((int) (n - blockFirst) * RECORD + at);
        }

        /** Ends the cursor from any thread; a time asked after it is the last one given. */
        @Override
        public synchronized void close() throws IOException {
            closed = true;
            release();
        }

        private void release() throws IOException {
            if (channel != null) {
                channel.close();
                channel = null;
                channelKey = null;
            }
        }
    }
}
