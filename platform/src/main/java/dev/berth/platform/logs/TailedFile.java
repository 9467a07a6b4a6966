package dev.berth.platform.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * One log file being tailed: where reading goes on, and which lines Elasticsearch has not acknowledged yet. The
 * committed offset — what the checkpoint records — is the start of the oldest unacknowledged line (or the read
 * position when none is outstanding), so a restart replays at most what was not acknowledged.
 *
 * <p>The channel stays open, so lines written before the pod's directory is deleted are still read. Reading runs on
 * the shipper's thread; acknowledgements arrive on the client's threads (the unacknowledged map is concurrent).
 */
final class TailedFile implements AutoCloseable {

    /** A line longer than this is shipped in pieces of this size rather than held in memory. */
    static final int MAX_LINE = 1 << 20;

    final LogSource source;
    /** {@link LogDocument#metadata(LogSource)}, once per file rather than per line */
    final byte[] metadata;
    final long inode;
    private final FileChannel channel;
    private long readOffset;
    private String lastTimestamp;
    /** start offset of each unacknowledged line → the timestamp a plain line at that offset inherits */
    private final ConcurrentSkipListMap<Long, String> unacked = new ConcurrentSkipListMap<>();
    private volatile boolean gone;

    TailedFile(LogSource source, Path path, long inode, long startOffset, String startTimestamp) throws IOException {
        this.source = source;
        this.metadata = LogDocument.metadata(source);
        this.inode = inode;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.readOffset = startOffset;
        this.lastTimestamp = startTimestamp;
    }

    /** A line read: its bytes are {@code buffer[from, from+length)}, valid only during the callback. */
    record Line(byte[] buffer, int from, int length, long offset, String previousTimestamp) {}

    /**
     * Reads complete lines from the read position, at most {@code maxLines}; a final line without its newline is
     * read only once the file is gone (nothing more will be appended).
     *
     * @param deliver takes each line and returns the timestamp it carries or inherited (from its document)
     * @return lines delivered
     */
    int read(ByteBuffer buffer, int maxLines, Function<Line, String> deliver) throws IOException {
        int delivered = 0;
        while (delivered < maxLines) {
            buffer.clear();
            long base = readOffset;
            int n = channel.read(buffer, base);
            if (n <= 0) {
                return delivered;
            }
            byte[] bytes = buffer.array();
            int limit = buffer.position();
            int start = 0;
            for (int i = 0; i < limit && delivered < maxLines; i++) {
                if (bytes[i] == '\n') {
                    deliver(deliver, bytes, base, start, i - start, true);
                    delivered++;
                    start = i + 1;
                }
            }
            if (start == 0 && delivered < maxLines && (limit == buffer.capacity() || gone && channel.size() == base + limit)) {
                // an over-long line (shipped in pieces), or the unterminated last line of a file that is gone
                deliver(deliver, bytes, base, 0, limit, false);
                delivered++;
                start = limit;
            }
            if (start == 0) {
                return delivered; // only a partial line so far
            }
        }
        return delivered;
    }

    private void deliver(Function<Line, String> deliver, byte[] bytes, long base, int from, int length, boolean newline) {
        long offset = base + from;
        unacked.put(offset, lastTimestamp == null ? "" : lastTimestamp);
        lastTimestamp = deliver.apply(new Line(bytes, from, length, offset, lastTimestamp));
        readOffset = offset + length + (newline ? 1 : 0);
    }

    /** Elasticsearch acknowledged (or dead-lettered) the line at {@code offset}. */
    void acknowledged(long offset) {
        unacked.remove(offset);
    }

    /** What a checkpoint records now: the committed offset and the timestamp a plain line there inherits. */
    Checkpoints.Position committed() {
        Map.Entry<Long, String> oldest = unacked.firstEntry();
        if (oldest != null) {
            return new Checkpoints.Position(inode, oldest.getKey(), oldest.getValue().isEmpty() ? null : oldest.getValue());
        }
        return new Checkpoints.Position(inode, readOffset, lastTimestamp);
    }

    /** Bytes in the file not yet acknowledged. */
    long lag() {
        try {
            return Math.max(0, channel.size() - committed().offset());
        } catch (IOException e) {
            return 0;
        }
    }

    /** Whether nothing will append to the file any more (deleted, or its pod is gone); a re-created pod clears it. */
    void gone(boolean gone) {
        this.gone = gone;
    }

    /** Gone, read to its end and everything acknowledged (the checkpoint is at its end): nothing more to do with it. */
    boolean finished() throws IOException {
        return gone && unacked.isEmpty() && readOffset >= channel.size();
    }

    int unackedLines() {
        return unacked.size();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
