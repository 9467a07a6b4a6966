package dev.berth.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailedFileTest {

    @TempDir
    Path dir;

    record Read(String text, long offset) {}

    static List<Read> read(TailedFile f, ByteBuffer buffer, int max) throws Exception {
        List<Read> lines = new ArrayList<>();
        f.read(buffer, max, l -> {
            lines.add(new Read(new String(l.buffer(), l.from(), l.length(), StandardCharsets.UTF_8), l.offset()));
            return "t" + l.offset();
        });
        return lines;
    }

    TailedFile open(Path file, long offset) throws Exception {
        return new TailedFile(LogDocumentTest.SOURCE, file, LogSources.inode(file), offset, null);
    }

    static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void completeLinesAreReadWithTheirOffsetsAndAPartialLineWaitsForItsNewline() throws Exception {
        Path file = dir.resolve("app.log");
        append(file, "one\ntwo\nthr");
        try (TailedFile f = open(file, 0)) {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            assertThat(read(f, buffer, 100)).containsExactly(new Read("one", 0), new Read("two", 4));
            assertThat(read(f, buffer, 100)).isEmpty();

            append(file, "ee\nfour\n");
            assertThat(read(f, buffer, 100)).containsExactly(new Read("three", 8), new Read("four", 14));
        }
    }

    @Test
    void theCommittedOffsetIsTheOldestUnacknowledgedLineWhateverOrderAcknowledgementsArriveIn() throws Exception {
        Path file = dir.resolve("app.log");
        append(file, "a\nbb\nccc\n");
        try (TailedFile f = open(file, 0)) {
            read(f, ByteBuffer.allocate(64), 100);
            assertThat(f.committed().offset()).isZero();

            f.acknowledged(2); // "bb" first: "a" is still out
            assertThat(f.committed().offset()).isZero();
            f.acknowledged(0);
            assertThat(f.committed()).isEqualTo(new Checkpoints.Position(f.inode, 5, "t2"));
            f.acknowledged(5);
            assertThat(f.committed()).isEqualTo(new Checkpoints.Position(f.inode, 9, "t5"));
            assertThat(f.lag()).isZero();
        }
    }

    @Test
    void readingResumesAtACheckpointAndStopsAtTheLineBudget() throws Exception {
        Path file = dir.resolve("app.log");
        append(file, "a\nbb\nccc\ndddd\n");
        try (TailedFile f = open(file, 5)) {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            assertThat(read(f, buffer, 1)).containsExactly(new Read("ccc", 5));
            assertThat(read(f, buffer, 1)).containsExactly(new Read("dddd", 9));
            assertThat(f.lag()).isEqualTo(9); // both unacknowledged
        }
    }

    @Test
    void aDeletedFilesLastUnterminatedLineIsStillShippedAndThenTheFileIsFinished() throws Exception {
        Path file = dir.resolve("app.log");
        append(file, "done\nlast words");
        try (TailedFile f = open(file, 0)) {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            Files.delete(file);
            assertThat(read(f, buffer, 100)).containsExactly(new Read("done", 0));
            f.gone(true);
            assertThat(read(f, buffer, 100)).containsExactly(new Read("last words", 5));
            assertThat(f.finished()).isFalse();
            f.acknowledged(0);
            f.acknowledged(5);
            assertThat(f.finished()).isTrue();
        }
    }

    @Test
    void aLineLongerThanTheBufferIsShippedInPiecesNotHeldForever() throws Exception {
        Path file = dir.resolve("app.log");
        append(file, "x".repeat(20) + "\nok\n");
        try (TailedFile f = open(file, 0)) {
            List<Read> lines = read(f, ByteBuffer.allocate(8), 100);
            assertThat(lines).extracting(Read::text).containsExactly("xxxxxxxx", "xxxxxxxx", "xxxx", "ok");
            assertThat(lines).extracting(Read::offset).containsExactly(0L, 8L, 16L, 21L);
        }
    }
}
