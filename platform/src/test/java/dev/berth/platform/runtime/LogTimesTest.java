package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The time index on real files: what the sampler records (the log's mtime when it grew), what a line's time is (the
 * first record at or past its end; the log's mtime while none is), and that it survives a restart, never goes back,
 * never runs ahead of the clock, starts over for a log that shrank, is removed with its log and cut once rotation
 * released what its first records covered.
 */
class LogTimesTest {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path state;
    Path log;
    Path indexes;
    LogStartOffsets starts;
    LogTimes times;

    @BeforeEach
    void aLog() throws Exception {
        log = Files.createDirectories(state.resolve("pods/default/web/logs")).resolve("app.log");
        indexes = state.resolve("log-times");
        starts = LogStartOffsets.load(state.resolve("log-start-offsets.json"));
        times = new LogTimes(indexes, starts, Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));
    }

    void append(String text, Instant mtime) throws Exception {
        Files.writeString(log, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Files.setLastModifiedTime(log, FileTime.from(mtime));
    }

    Instant timeOf(LogTimes t, long end) throws Exception {
        try (LogTimes.Cursor c = t.cursor(log, 0)) {
            return c.timeOf(end);
        }
    }

    @Test
    void aSampleRecordsTheMtimeOfWhatTheLogGrewByAndARestartedCoreReadsTheSameTimes() throws Exception {
        append("one\n", T0);
        times.sample(List.of(log));
        append("two\nthr", T0.plusMillis(250));
        times.sample(List.of(log));
        append("ee\n", T0.plusMillis(400));
        times.sample(List.of(log));
        times.sample(List.of(log)); // nothing new: no record

        assertThat(Files.size(indexes.resolve(Files.list(indexes).findFirst().orElseThrow().getFileName()))).isEqualTo(3 * LogTimes.RECORD);
        LogTimes restarted = new LogTimes(indexes, starts, Clock.systemUTC());
        try (LogTimes.Cursor c = restarted.cursor(log, 0)) {
            assertThat(c.timeOf(4)).isEqualTo(T0); // "one\n"
            assertThat(c.timeOf(8)).isEqualTo(T0.plusMillis(250)); // "two\n"
            assertThat(c.timeOf(14)).isEqualTo(T0.plusMillis(400)); // "three\n": finished by the third sample
        }
    }

    @Test
    void aLineTheSamplerHasNotSeenYetGetsTheLogsMtime() throws Exception {
        append("one\n", T0);
        times.sample(List.of(log));
        append("two\n", T0.plusSeconds(7));
        assertThat(timeOf(times, 8)).isEqualTo(T0.plusSeconds(7));
    }

    @Test
    void timesNeverGoBackNorPastTheClock() throws Exception {
        append("one\n", T0);
        times.record(log, 4, T0.plusSeconds(10));
        append("two\n", T0);
        times.record(log, 8, T0.plusSeconds(5)); // an mtime set back (touch -d): not before what is recorded
        append("three\n", T0);
        times.record(log, 14, T0.plusSeconds(99_999)); // a clock ahead of the core's: not after now
        assertThat(timeOf(times, 4)).isEqualTo(T0.plusSeconds(10));
        assertThat(timeOf(times, 8)).isEqualTo(T0.plusSeconds(10));
        assertThat(timeOf(times, 14)).isEqualTo(T0.plusSeconds(3600));
    }

    @Test
    void aLogThatShrankIsAnotherFileAndItsTimesStartOver() throws Exception {
        append("a long first line\n", T0);
        times.sample(List.of(log));
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.setLength(0); // same path, same inode, fewer bytes
        }
        append("new\n", T0.plusSeconds(60));
        times.sample(List.of(log));
        assertThat(timeOf(times, 4)).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void theIndexOfALogThatIsGoneIsRemovedByTheNextSample() throws Exception {
        append("one\n", T0);
        times.sample(List.of(log));
        assertThat(Files.list(indexes).count()).isEqualTo(1);
        Files.delete(log);
        times.sample(List.of());
        assertThat(Files.list(indexes).count()).isZero();
    }

    @Test
    void anIndexIsCutToTheRecordsAfterWhatRotationRetainsAndKeepsItsTimes() throws Exception {
        int records = 2 * LogTimes.COMPACT_AFTER;
        for (int i = 1; i <= records; i++) {
            append("line " + i + "\n", T0);
            if (i == LogTimes.COMPACT_AFTER + 100) {
                // rotation released everything before this line
                starts.record(Map.of(log, new LogStartOffsets.Start(LogStartOffsets.inode(log), Files.size(log))));
            }
            times.record(log, Files.size(log), T0.plusMillis(i));
        }
        Path index = Files.list(indexes).findFirst().orElseThrow();
        assertThat(Files.size(index)).isEqualTo((records - LogTimes.COMPACT_AFTER - 100) * (long) LogTimes.RECORD);
        long retained = starts.of(log);
        try (LogTimes.Cursor c = times.cursor(log, retained)) {
            long firstEnd = retained + ("line " + (LogTimes.COMPACT_AFTER + 101) + "\n").length();
            assertThat(c.timeOf(firstEnd)).isEqualTo(T0.plusMillis(LogTimes.COMPACT_AFTER + 101));
            assertThat(c.timeOf(Files.size(log))).isEqualTo(T0.plusMillis(records));
        }
    }
}
