package dev.berth.platform.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Reads replicas' log files the way {@code kubectl logs} shows them: one container's output, the last
 * {@code tail} lines, and with {@code follow} the stream stays open and delivers new lines as they are written
 * (until the reader closes it, from any thread, or the pod is gone). Thread-safe; each stream is independent.
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

    public LogFiles(PodDirectories dirs, LogStartOffsets starts) {
        this.dirs = dirs;
        this.starts = starts;
    }

    /** @param alive while following: whether the pod still exists */
    public InputStream open(String namespace, String pod, String container, Integer tailLines, boolean follow, BooleanSupplier alive) {
        Path file = dirs.logFile(namespace, pod, container);
        try {
            long retained = starts.of(file);
            long start = tailLines == null ? retained : Math.max(retained, offsetOfLastLines(file, tailLines, retained));
            return new FileTail(file, start, follow, alive, starts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of " + namespace + "/" + pod, e);
        }
    }

    /** Byte offset where the last {@code n} lines of {@code file} after {@code floor} begin ({@code floor} if it has fewer). */
    static long offsetOfLastLines(Path file, int n, long floor) throws IOException {
        if (!Files.exists(file) || n <= 0) {
            return Files.exists(file) && n <= 0 ? Files.size(file) : floor;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long pos = raf.length();
            int newlines = 0;
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

    /** Reads a file from an offset; when following, waits for more instead of ending. */
    private static final class FileTail extends InputStream {
        private final Path file;
        private final boolean follow;
        private final BooleanSupplier alive;
        private final LogStartOffsets starts;
        private long position;
        private RandomAccessFile raf;
        private boolean closed;

        FileTail(Path file, long position, boolean follow, BooleanSupplier alive, LogStartOffsets starts) {
            this.file = file;
            this.position = position;
            this.follow = follow;
            this.alive = alive;
            this.starts = starts;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
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
                    if (raf != null && raf.length() > position) {
                        long from = position;
                        raf.seek(from);
                        int n = raf.read(b, off, (int) Math.min(len, raf.length() - from));
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
}
