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
 */
public final class LogFiles {

    /** How often a follow looks for new lines, and so how soon it notices it was closed. */
    static final Duration POLL = Duration.ofMillis(200);

    private final PodDirectories dirs;

    public LogFiles(PodDirectories dirs) {
        this.dirs = dirs;
    }

    /** @param alive while following: whether the pod still exists */
    public InputStream open(String namespace, String pod, String container, Integer tailLines, boolean follow, BooleanSupplier alive) {
        Path file = dirs.logFile(namespace, pod, container);
        try {
            long start = tailLines == null ? 0 : offsetOfLastLines(file, tailLines);
            return new FileTail(file, start, follow, alive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of " + namespace + "/" + pod, e);
        }
    }

    /** Byte offset where the last {@code n} lines of {@code file} begin (0 if it has fewer). */
    static long offsetOfLastLines(Path file, int n) throws IOException {
        if (!Files.exists(file) || n <= 0) {
            return Files.exists(file) && n <= 0 ? Files.size(file) : 0;
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
            while (pos > 0) {
                int len = (int) Math.min(buf.length, pos);
                pos -= len;
                raf.seek(pos);
                raf.readFully(buf, 0, len);
                for (int i = len - 1; i >= 0; i--) {
                    if (buf[i] == '\n' && ++newlines == n) {
                        return pos + i + 1;
                    }
                }
            }
            return 0;
        }
    }

    /** Reads a file from an offset; when following, waits for more instead of ending. */
    private static final class FileTail extends InputStream {
        private final Path file;
        private final boolean follow;
        private final BooleanSupplier alive;
        private long position;
        private RandomAccessFile raf;
        private boolean closed;

        FileTail(Path file, long position, boolean follow, BooleanSupplier alive) {
            this.file = file;
            this.position = position;
            this.follow = follow;
            this.alive = alive;
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
                        raf.seek(position);
                        int n = raf.read(b, off, (int) Math.min(len, raf.length() - position));
                        position += n;
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
