package dev.berth.platform.runtime;

import static dev.berth.platform.testapp.ChattyReplica.allocatedBytes;
import static dev.berth.platform.testapp.ChattyReplica.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.testapp.ChattyReplica;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log rotation on real files: a real replica process writing through the descriptor the kubelet gives it, the
 * rotation releasing blocks underneath it, {@code kubectl logs}-style reads (whole, tail, follow) across it, and a
 * core restart between recording a start and releasing its bytes.
 */
class LogRotationTest {

    static final String NS = "berth";
    static final String POD = "chatty-1";

    @TempDir
    Path state;

    PodDirectories dirs;
    Path log;
    Path startsFile;
    ReplicaProcess replica;
    ScheduledExecutorService passes;

    @BeforeEach
    void layout() {
        dirs = new PodDirectories(state);
        log = dirs.logFile(NS, POD, "app");
        startsFile = state.resolve("log-start-offsets.json");
    }

    @AfterEach
    void stop() {
        if (passes != null) {
            passes.shutdownNow();
        }
        if (replica != null) {
            replica.kill();
        }
    }

    @Test
    void aFastReplicasLogStaysNearMaxSizeTimesMaxFilesAndWholeTailAndFollowReadsSeeEveryRetainedLine() throws Exception {
        long part = 1 << 20;
        int lines = 100_000;
        LogStartOffsets starts = LogStartOffsets.load(startsFile);
        LogRotation rotation = new LogRotation(dirs, new LogRotationPolicy(part, 3), starts, ShippedLogs.NO_SHIPPER);
        LogFiles files = new LogFiles(dirs, starts, new LogTimes(state.resolve("log-times"), starts, Clock.systemUTC()));
        List<Long> followed = Collections.synchronizedList(new ArrayList<>());
        InputStream follow = files.open(NS, POD, "app", null, true, () -> true); // before the first line is written
        Thread follower = reader(follow, followed);

        replica = ChattyReplica.start(log, state.resolve("work"), lines, 20_000); // about 3 MB/s
        List<Pass> samples = Collections.synchronizedList(new ArrayList<>());
        passes = Executors.newSingleThreadScheduledExecutor();
        passes.scheduleWithFixedDelay(() -> {
            try {
                long before = Files.exists(log) ? Files.size(log) : 0;
                rotation.rotate();
                long start = starts.of(log);
                long allocated = allocatedBytes(log);
                samples.add(new Pass(before, start, allocated, Files.size(log)));
            } catch (IOException | InterruptedException e) {
                samples.add(new Pass(-1, -1, -1, -1)); // fails the test below
            }
        }, 20, 20, TimeUnit.MILLISECONDS);
        await("the replica wrote its lines").atMost(Duration.ofSeconds(60)).until(() -> lastLine(files).endsWith("\"event.sequence\":" + lines + "}"));
        await("the follower read them").atMost(Duration.ofSeconds(10)).until(() -> followed.size() == lines);
        passes.shutdown();
        assertThat(passes.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        rotation.rotate();
        follow.close();
        follower.join(5_000);

        long written = Files.size(log);
        assertThat(written).as("apparent size: every byte written, at its offset").isGreaterThan(14 * part);
        // each pass: what it kept is what the policy keeps (the cut moved to the next line start), and what is on disk
        // is only what was kept and written since (ext4 blocks: within 8 KiB) — however late the machine ran the pass
        assertThat(samples).hasSizeGreaterThan(10).allSatisfy(p -> {
            // (the pass read the size somewhere between the two: a line is at most ~150 bytes)
            assertThat(p.start()).isBetween(rotation.policy().keepFrom(p.sizeBefore()), rotation.policy().keepFrom(p.sizeAfter()) + 200);
            assertThat(p.allocated()).isLessThanOrEqualTo(p.sizeAfter() - p.start() + 8192);
        });
        assertThat(allocatedBytes(log)).as("on disk at rest").isLessThanOrEqualTo(3 * part + 4096);
        long start = starts.of(log);
        assertThat(start).isGreaterThan(written - 3 * part).isLessThanOrEqualTo(written - 2 * part + 200);

        List<String> whole = read(files.open(NS, POD, "app", null, false, () -> true));
        long first = sequence(whole.get(0));
        assertThat(whole).as("from the retained start: whole lines, none released, none missing")
                .allSatisfy(l -> assertThat(l).startsWith("{\"@timestamp\"").doesNotContain("\0"))
                .extracting(ChattyReplica::sequence).containsExactly(LongStream.rangeClosed(first, lines).boxed().toArray(Long[]::new));
        assertThat(read(files.open(NS, POD, "app", 3, false, () -> true))).extracting(ChattyReplica::sequence)
                .containsExactly((long) lines - 2, (long) lines - 1, (long) lines);
        assertThat(read(files.open(NS, POD, "app", 1_000_000, false, () -> true))).as("a tail longer than what is kept").isEqualTo(whole);
        assertThat(followed).as("a follower that keeps up loses nothing across %d rotations", written / part - 2)
                .containsExactly(LongStream.rangeClosed(1, lines).boxed().toArray(Long[]::new));
    }

    @Test
    void aFollowerTheRotationOvertookGoesOnAtTheNewStartAtALineBoundaryNeverReadingReleasedBytes() throws Exception {
        LogStartOffsets starts = LogStartOffsets.load(startsFile);
        LogRotation rotation = new LogRotation(dirs, new LogRotationPolicy(4096, 2), starts, ShippedLogs.NO_SHIPPER);
        LogFiles files = new LogFiles(dirs, starts, new LogTimes(state.resolve("log-times"), starts, Clock.systemUTC()));
        append(1, 100);
        try (InputStream in = files.open(NS, POD, "app", null, true, () -> true)) {
            assertThat(sequence(readLineByBytes(in))).isEqualTo(1);

            append(101, 1000); // the follower stalls while the writer goes on and the rotation releases what it has not read
            assertThat(rotation.rotate()).hasSize(1);
            long firstKept = sequence(lineAt(starts.of(log)));
            assertThat(firstKept).isGreaterThan(100);

            BufferedReader rest = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Long> after = new ArrayList<>();
            while (after.isEmpty() || after.get(after.size() - 1) < 1000) {
                String line = rest.readLine();
                assertThat(line).doesNotContain("\0");
                after.add(sequence(line));
            }
            assertThat(after).containsExactly(LongStream.rangeClosed(firstKept, 1000).boxed().toArray(Long[]::new));
        }
    }

    @Test
    void aCoreRestartBetweenRecordingAStartAndReleasingItsBytesReleasesThemOnTheNextPassAndReadsStartThere() throws Exception {
        append(1, 2000);
        long before = allocatedBytes(log);
        LogRotation crashed = new LogRotation(dirs, new LogRotationPolicy(8192, 2), LogStartOffsets.load(startsFile), ShippedLogs.NO_SHIPPER);
        List<LogRotation.Move> planned = crashed.plan(); // recorded durably ... and the core dies before it punches
        assertThat(planned).hasSize(1);
        assertThat(allocatedBytes(log)).isEqualTo(before);

        LogStartOffsets starts = LogStartOffsets.load(startsFile);
        assertThat(starts.of(log)).as("the start survived the restart").isEqualTo(planned.get(0).to());
        List<String> whole = read(new LogFiles(dirs, starts, new LogTimes(state.resolve("log-times"), starts, Clock.systemUTC())).open(NS, POD, "app", null, false, () -> true));
        assertThat(sequence(whole.get(0))).isEqualTo(sequence(lineAt(planned.get(0).to())));
        LogRotation restarted = new LogRotation(dirs, new LogRotationPolicy(8192, 2), starts, ShippedLogs.NO_SHIPPER);

        assertThat(restarted.rotate()).extracting(LogRotation.Move::to).containsExactly(planned.get(0).to());
        assertThat(allocatedBytes(log)).isLessThanOrEqualTo(2 * 8192 + 4096);
        assertThat(read(new LogFiles(dirs, starts, new LogTimes(state.resolve("log-times"), starts, Clock.systemUTC())).open(NS, POD, "app", null, false, () -> true))).isEqualTo(whole);
        assertThat(restarted.rotate()).as("nothing more to release").isEmpty();
    }

    @Test
    void theShippersDurableCheckpointBoundsTheRelease() throws Exception {
        append(1, 2000);
        long checkpoint = lineStartOf(300);
        LogStartOffsets starts = LogStartOffsets.load(startsFile);
        LogRotation rotation = new LogRotation(dirs, new LogRotationPolicy(4096, 2), starts, (file, inode) -> checkpoint);

        rotation.rotate();

        assertThat(starts.of(log)).isEqualTo(checkpoint);
        assertThat(read(new LogFiles(dirs, starts, new LogTimes(state.resolve("log-times"), starts, Clock.systemUTC())).open(NS, POD, "app", 1, false, () -> true))).extracting(ChattyReplica::sequence).containsExactly(2000L);
        assertThat(read(new LogFiles(dirs, starts, new LogTimes(state.resolve("log-times"), starts, Clock.systemUTC())).open(NS, POD, "app", null, false, () -> true)).get(0)).isEqualTo(lineAt(checkpoint));
    }

    @Test
    void aFileReplacedAtItsPathIsReadFromItsBeginningAndItsOldStartIsForgotten() throws Exception {
        append(1, 2000);
        LogStartOffsets starts = LogStartOffsets.load(startsFile);
        LogRotation rotation = new LogRotation(dirs, new LogRotationPolicy(4096, 2), starts, ShippedLogs.NO_SHIPPER);
        rotation.rotate();
        assertThat(starts.of(log)).isPositive();

        Path next = log.resolveSibling("next");
        Files.writeString(next, line(1) + "\n");
        Files.move(next, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(starts.of(log)).isZero();
        assertThat(read(new LogFiles(dirs, starts, new LogTimes(state.resolve("log-times"), starts, Clock.systemUTC())).open(NS, POD, "app", null, false, () -> true))).containsExactly(line(1));
        assertThat(rotation.rotate()).isEmpty();
        assertThat(Files.readString(startsFile)).isEqualTo("{}");
    }

    /** One rotation pass seen from outside: the file's size before it, the start after it, then blocks and size. */
    record Pass(long sizeBefore, long start, long allocated, long sizeAfter) {}

    static Thread reader(InputStream in, List<Long> into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    if (l.contains("\"event.sequence\"")) {
                        into.add(sequence(l));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "log-follower");
        t.start();
        return t;
    }

    static String readLineByBytes(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            sb.append((char) b);
        }
        return sb.toString();
    }

    static List<String> read(InputStream in) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().toList();
        }
    }

    static String lastLine(LogFiles files) throws IOException {
        List<String> last = read(files.open(NS, POD, "app", 1, false, () -> true));
        return last.isEmpty() ? "" : last.get(0);
    }

    static String line(long i) {
        return "{\"@timestamp\":\"2026-11-22T10:00:00Z\",\"message\":\"line " + i + "\",\"event.sequence\":" + i + "}";
    }

    void append(long from, long to) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (long i = from; i <= to; i++) {
            sb.append(line(i)).append('\n');
        }
        Files.createDirectories(log.getParent());
        Files.writeString(log, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    String lineAt(long offset) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(log)) {
            var buffer = java.nio.ByteBuffer.allocate(1024);
            ch.read(buffer, offset);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            return text.substring(0, text.indexOf('\n'));
        }
    }

    long lineStartOf(long sequence) throws IOException {
        String text = Files.readString(log);
        return text.indexOf(line(sequence) + "\n");
    }
}
