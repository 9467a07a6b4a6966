package dev.berth.platform.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A log's bytes as the kubelet writes CRI log lines out: each line with its time ({@link LogTimes}), dropped when
 * older than {@code since}, prefixed with the time and a space when {@code timestamps} is asked. A line longer than
 * {@link #MAX_PIECE} goes out in pieces, each timed and filtered on its own as the CRI runtime's partial records are,
 * the time prefixed to the first only. A follow's unfinished line waits for its newline; a read that ends gives out
 * what is left. Not thread-safe, except {@link #close()}, which may come from any thread.
 */
final class TimedLines extends BlockInputStream {

    /** The CRI runtime's line buffer: a longer line is cut into partial records of this size. */
    static final int MAX_PIECE = 16 * 1024;
    /** The kubelet's {@code RFC3339NanoFixed}: always nine fractional digits. */
    static final DateTimeFormatter RFC3339_NANO_FIXED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final LogFiles.FileTail source;
    private final LogTimes.Cursor times;
    private final Instant since;
    private final boolean timestamps;
    /** Bytes read and not given out yet; {@code pending[0]} is at file offset {@code pendingAt}. */
    private final byte[] pending = new byte[4 * MAX_PIECE];
    private int pendingLength;
    private long pendingAt = -1;
    private byte[] out = new byte[0];
    private int outPosition;
    private boolean atLineStart = true;
    private boolean ended;

    TimedLines(LogFiles.FileTail source, LogTimes.Cursor times, Instant since, boolean timestamps) {
        this.source = source;
        this.times = times;
        this.since = since;
        this.timestamps = timestamps;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (outPosition == out.length) {
            if (!next()) {
                times.close();
                return -1;
            }
        }
        int n = Math.min(len, out.length - outPosition);
        System.arraycopy(out, outPosition, b, off, n);
        outPosition += n;
        return n;
    }

    /** Makes the next piece to give out; false at the end of the stream. */
    private boolean next() throws IOException {
        while (true) {
            int length = pieceLength();
            if (length > 0) {
                if (give(length)) {
                    return true;
                }
                continue;
            }
            if (ended) {
                return false;
            }
            int n = source.read(pending, pendingLength, pending.length - pendingLength);
            if (n < 0) {
                ended = true;
                continue;
            }
            long at = source.position() - n;
            if (pendingAt >= 0 && at != pendingAt + pendingLength) {
                pendingLength = 0; // rotation released the rest of an unfinished line: it is not glued to other bytes
                atLineStart = true;
            }
            if (pendingLength == 0) {
                pendingAt = at;
            }
            pendingLength += n;
        }
    }

    /** The length of the next piece in {@code pending}: a whole line, {@link #MAX_PIECE} bytes, or the rest at the end; 0 for none yet. */
    private int pieceLength() {
        int limit = Math.min(pendingLength, MAX_PIECE);
        for (int i = 0; i < limit; i++) {
            if (pending[i] == '\n') {
                return i + 1;
            }
        }
        return pendingLength >= MAX_PIECE ? MAX_PIECE : ended ? pendingLength : 0;
    }

    /** Takes a piece off {@code pending}; true if it is shown (not older than {@code since}). */
    private boolean give(int length) {
        Instant time = times.timeOf(pendingAt + length);
        boolean startsLine = atLineStart;
        atLineStart = pending[length - 1] == '\n';
        boolean shown = since == null || !time.isBefore(since);
        if (shown) {
            byte[] prefix = timestamps && startsLine ? (RFC3339_NANO_FIXED.format(time) + " ").getBytes(StandardCharsets.US_ASCII) : new byte[0];
            out = new byte[prefix.length + length];
            System.arraycopy(prefix, 0, out, 0, prefix.length);
            System.arraycopy(pending, 0, out, prefix.length, length);
            outPosition = 0;
        }
        System.arraycopy(pending, length, pending, 0, pendingLength - length);
        pendingLength -= length;
        pendingAt += length;
        return shown;
    }

    /** Ends the stream from any thread, as {@link LogFiles.FileTail#close()} does. */
    @Override
    public void close() throws IOException {
        source.close();
        times.close();
    }
}
