package dev.berth.platform.runtime;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Reads replicas' log files the way the kubelet serves {@code kubectl logs}: one container's current instance or, with
 * {@code previous}, the one before it; the last {@code tail} lines; only lines written since a time; each line with its
 * time ({@link LogTimes}); at most so many bytes; and with {@code follow} the stream stays open and delivers new lines
 * as they are written, until the reader closes it (from any thread) or the instance can write no more. Options apply
 * in the kubelet's order ({@code ReadLogs}): seek to the tail, then drop lines before {@code since}, prefix the
 * time, cut at the byte limit. Without {@code follow} a read ends at the end the file had when it was opened. Thread-safe;
 * each stream is independent.
 *
 * <p>Across rotation ({@link LogRotation}): reading starts at the file's {@link LogStartOffsets start}, never in the
 * released bytes before it; a follower the rotation overtook (more than {@code maxFiles - 1} parts behind the
 * writer) goes on at the new start, with the lines in between skipped — what an upstream follower on a rotated file
 * that the kubelet removed would not see either — and never reads a released (zeroed) byte.
 */
public final class LogFiles {

    /** How often a follow looks for new lines, and so how soon it notices it was closed. */
    static final Duration POLL = Duration.ofMillis(200);

    private final PodDirectories dirs;
    private final LogStartOffsets starts;
    private final LogTimes times;

    public LogFiles(PodDirectories dirs, LogStartOffsets starts, LogTimes times) {
        this.dirs = dirs;
        this.starts = starts;
        this.times = times;
    }

    /**
     * One container's log, as the kubelet picks the instance ({@code validateContainerLogStatus}): the newest one, or
     * with {@code previous} the last terminated one — the one before the newest while the container runs, the newest
     * while it waits to be started again. A follow of the current instance ends once it has stopped (its status is
     * terminated, or waiting after a termination), a newer instance appeared or the pod is gone.
     *
     * @param current the pod now, if it is still this pod (same uid): asked while following
     * @return empty when {@code previous} is asked and there is no terminated instance whose log is kept
     */
    public Optional<InputStream> open(Pod pod, String container, LogOptions options, Supplier<Optional<Pod>> current) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        if (options.previous()) {
            return previousInstance(dirs.instanceLogs(namespace, name, container), status(pod, container))
                    .map(file -> read(file, options, () -> false));
        }
        Path file = dirs.logFile(namespace, name, container);
        return Optional.of(read(file, options, () -> current.get()
                .filter(p -> mayStillWrite(status(p, container)) && file.equals(dirs.logFile(namespace, name, container))).isPresent()));
    }

    /** The current instance's last {@code tailLines} lines (null: all), followed while {@code alive}. */
    public InputStream open(String namespace, String pod, String container, Integer tailLines, boolean follow, BooleanSupplier alive) {
        return read(dirs.logFile(namespace, pod, container), LogOptions.tail(tailLines, follow), alive);
    }

    /**
     * The last terminated instance's log among {@code instances} (oldest first), as the container's status tells it:
     * none without a {@code lastState.terminated}; the newest but one while a newer instance runs, else the newest.
     */
    static Optional<Path> previousInstance(List<Path> instances, ContainerStatus status) {
        if (status == null || status.getLastState() == null || status.getLastState().getTerminated() == null) {
            return Optional.empty();
        }
        boolean running = status.getState() != null && status.getState().getRunning() != null;
        int index = instances.size() - (running ? 2 : 1);
        return index < 0 ? Optional.empty() : Optional.of(instances.get(index));
    }

    /** Whether the instance a status describes may still write: not yet started, or running. */
    static boolean mayStillWrite(ContainerStatus status) {
        if (status == null || status.getState() == null || status.getState().getRunning() != null) {
            return true;
        }
        boolean terminated = status.getState().getTerminated() != null;
        boolean restarting = status.getLastState() != null && status.getLastState().getTerminated() != null;
        return !terminated && !restarting;
    }

    private static ContainerStatus status(Pod pod, String container) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return pod.getStatus().getContainerStatuses().stream().filter(s -> container.equals(s.getName())).findFirst().orElse(null);
    }

    /** One log file read with {@code options}; a follow goes on while {@code alive}. */
    InputStream read(Path file, LogOptions options, BooleanSupplier alive) {
        try {
            long retained = starts.of(file);
            long start = options.tailLines() == null ? retained
                    : Math.max(retained, offsetOfLastLines(file, options.tailLines(), retained));
            long end = options.follow() ? Long.MAX_VALUE : sizeOf(file);
            FileTail tail = new FileTail(file, start, end, options.follow(), alive, starts);
            InputStream shown = options.byLine() ? new TimedLines(tail, times.cursor(file, start), options.since(), options.timestamps()) : tail;
            return options.limitBytes() == null ? shown : new Limited(shown, options.limitBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log " + file, e);
        }
    }

    private static long sizeOf(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException none) {
            return 0;
        }
    }

    /** Byte offset where the last {@code n} lines of {@code file} after {@code floor} begin ({@code floor} if it has fewer). */
    static long offsetOfLastLines(Path file, long n, long floor) throws IOException {
        if (!Files.exists(file) || n <= 0) {
            return Files.exists(file) && n <= 0 ? Files.size(file) : floor;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long pos = raf.length();
            long newlines = 0;
            byte[] buf = new byte[8192];
            if (pos > 0) {
                raf.seek(pos - 1);
                if (raf.read() == '\n') {
                    pos--; // the final newline ends the last line; it does not start another
                }
            }
            while (pos > floor) {
                int len = (int) Math.min(buf.length, pos - floor);
                pos -= len;
                raf.seek(pos);
                raf.readFully(buf, 0, len);
                for (int i = len - 1; i >= 0; i--) {
                    if (buf[i] == '\n' && ++newlines == n) {
                        return pos + i + 1;
                    }
                }
            }
            return floor;
        }
    }

    /** Reads a file from an offset up to an end; when following, waits for more instead of ending. */
    static final class FileTail extends BlockInputStream {
        private final Path file;
        private final long end;
        private final boolean follow;
        private final BooleanSupplier alive;
        private final LogStartOffsets starts;
        private long position;
        private RandomAccessFile raf;
        private boolean closed;

        FileTail(Path file, long position, long end, boolean follow, BooleanSupplier alive, LogStartOffsets starts) {
            this.file = file;
            this.position = position;
            this.end = end;
            this.follow = follow;
            this.alive = alive;
            this.starts = starts;
        }

        /** The file offset just past the last byte read. */
        synchronized long position() {
            return position;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                synchronized (this) {
                    if (closed) {
                        return -1;
                    }
                    if (raf == null && Files.exists(file)) {
                        raf = new RandomAccessFile(file.toFile(), "r");
                    }
                    long available = raf == null ? 0 : Math.min(raf.length(), end) - position;
                    if (available > 0) {
                        long from = position;
                        raf.seek(from);
                        int n = raf.read(b, off, (int) Math.min(len, available));
                        // a start recorded after this read began may have released what it read: those bytes can be
                        // zeros. A start is recorded before its bytes go, so one not past `from` now proves them intact.
                        long start = starts.of(file);
                        if (start > from) {
                            position = start;
                            continue;
                        }
                        position = from + n;
                        return n;
                    }
                }
                if (!follow || !alive.getAsBoolean()) {
                    return -1;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(POLL.toMillis()); // poll for new lines (files give no portable change signal here)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("log follow interrupted");
                }
            }
        }

        /** Ends the stream from any thread: a reader waiting for lines returns end-of-stream within one poll. */
        @Override
        public synchronized void close() throws IOException {
            closed = true;
            if (raf != null) {
                raf.close();
            }
        }
    }

    /** At most {@code limit} bytes of a stream (the kubelet's {@code limitBytes}: the last line may be cut). */
    private static final class Limited extends BlockInputStream {
        private final InputStream in;
        private long remaining;

        Limited(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
