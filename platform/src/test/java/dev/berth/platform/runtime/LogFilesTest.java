package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kubelet's log options on real log files with known line times: timestamps, since, the byte limit, tail with
 * since in the kubelet's order, long lines in pieces, the instance a read is about (current, previous) and how long a
 * follow lasts.
 */
class LogFilesTest {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path state;
    PodDirectories dirs;
    LogTimes times;
    LogFiles files;
    Path log;

    @BeforeEach
    void layout() throws Exception {
        dirs = new PodDirectories(state);
        LogStartOffsets starts = LogStartOffsets.load(state.resolve("log-start-offsets.json"));
        times = new LogTimes(state.resolve("log-times"), starts, Clock.systemUTC());
        files = new LogFiles(dirs, starts, times);
        log = dirs.logFile("default", "web", "app");
        Files.createDirectories(log.getParent());
    }

    /** Appends a line and records that it was written at {@code at}. */
    void line(Path file, String text, Instant at) throws Exception {
        Files.writeString(file, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        times.record(file, Files.size(file), at);
    }

    /** Lines one…six, line n written at T0 + n seconds. */
    void sixLines() throws Exception {
        for (int n = 1; n <= 6; n++) {
            line(log, "line " + n, T0.plusSeconds(n));
        }
    }

    String read(LogOptions options) throws Exception {
        return read(files.read(log, options, () -> false));
    }

    static String read(InputStream in) throws Exception {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static LogOptions options(Long tail, Long limit, Instant since, boolean timestamps) {
        return new LogOptions(tail, limit, since, false, timestamps, false);
    }

    @Test
    void timestampsPrefixEachLineWithItsTimeWithNineFractionalDigitsInUtc() throws Exception {
        line(log, "a", T0);
        line(log, "b", T0.plusMillis(1500));
        line(log, "c", T0.plusSeconds(2).plusNanos(1));
        assertThat(read(options(null, null, null, true))).isEqualTo("""
                2024-05-01T10:00:00.000000000Z a
                2024-05-01T10:00:01.500000000Z b
                2024-05-01T10:00:02.000000001Z c
                """);
    }

    @Test
    void sinceKeepsTheLinesWrittenAtOrAfterIt() throws Exception {
        sixLines();
        assertThat(read(options(null, null, T0.plusSeconds(4), false))).isEqualTo("line 4\nline 5\nline 6\n");
        assertThat(read(options(null, null, T0.plusSeconds(4).minusNanos(1), false))).isEqualTo("line 4\nline 5\nline 6\n");
        assertThat(read(options(null, null, T0.plusSeconds(4).plusNanos(1), false))).isEqualTo("line 5\nline 6\n");
        assertThat(read(options(null, null, T0.plusSeconds(60), false))).isEmpty(); // in the future: nothing
    }

    @Test
    void sinceSecondsCountsBackFromNowAndTheLaterOfItAndSinceTimeWins() {
        Instant now = T0.plusSeconds(100);
        assertThat(LogOptions.of(null, null, 96L, null, false, false, false, now).since()).isEqualTo(T0.plusSeconds(4));
        assertThat(LogOptions.of(null, null, 96L, T0.plusSeconds(5), false, false, false, now).since()).isEqualTo(T0.plusSeconds(5));
        assertThat(LogOptions.of(null, null, 96L, T0, false, false, false, now).since()).isEqualTo(T0.plusSeconds(4));
    }

    @Test
    void limitBytesCutsTheOutputMidLineTimestampsIncluded() throws Exception {
        sixLines();
        assertThat(read(options(null, 10L, null, false))).isEqualTo("line 1\nlin");
        assertThat(read(options(null, 40L, null, true))).isEqualTo("2024-05-01T10:00:01.000000000Z line 1\n20"); // 31 + 7 + 2
        assertThat(read(options(2L, 9L, T0.plusSeconds(6), false))).isEqualTo("line 6\n"); // fewer bytes than the limit
    }

    /** The kubelet seeks to the tail, then drops what is older than since: both keep a suffix, the shorter one shows. */
    @ParameterizedTest(name = "tail {0}, since T0+{1}s → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            4  | 5  | line 5,line 6
            2  | 2  | line 5,line 6
            3  |    | line 4,line 5,line 6
            10 | 3  | line 3,line 4,line 5,line 6
            6  | 1  | line 1,line 2,line 3,line 4,line 5,line 6
            0  |    | ''
            2  | 7  | ''
            """)
    void tailThenSinceAsTheKubeletAppliesThem(long tail, Long sinceSeconds, String expected) throws Exception {
        sixLines();
        Instant since = sinceSeconds == null ? null : T0.plusSeconds(sinceSeconds);
        List<String> lines = read(options(tail, null, since, false)).lines().toList();
        assertThat(lines).isEqualTo(expected.isEmpty() ? List.of() : List.of(expected.split(",")));
    }

    @Test
    void aLineLongerThanAPieceIsTimedAndFilteredPieceByPieceAndPrefixedOnce() throws Exception {
        byte[] body = "x".repeat(3 * TimedLines.MAX_PIECE).getBytes(StandardCharsets.US_ASCII);
        Files.write(log, java.util.Arrays.copyOf(body, TimedLines.MAX_PIECE));
        times.record(log, TimedLines.MAX_PIECE, T0); // the first piece was out at T0
        Files.write(log, java.util.Arrays.copyOfRange(body, TimedLines.MAX_PIECE, body.length), StandardOpenOption.APPEND);
        Files.writeString(log, "\n", StandardOpenOption.APPEND);
        times.record(log, Files.size(log), T0.plusSeconds(5));

        String all = read(options(null, null, null, true));
        assertThat(all).isEqualTo("2024-05-01T10:00:00.000000000Z " + new String(body, StandardCharsets.US_ASCII) + "\n");
        String since = read(options(null, null, T0.plusSeconds(1), true));
        assertThat(since).isEqualTo("x".repeat(2 * TimedLines.MAX_PIECE) + "\n"); // mid-line: no prefix
    }

    @Test
    void aReadWithoutFollowEndsWhereTheFileEndedWhenItWasOpened() throws Exception {
        sixLines();
        InputStream in = files.read(log, options(2L, null, null, false), () -> true);
        line(log, "line 7", T0.plusSeconds(7));
        assertThat(read(in)).isEqualTo("line 5\nline 6\n");
    }

    @Test
    void aFollowGivesNewLinesWithTheirTimesUntilTheInstanceCanWriteNoMore() throws Exception {
        line(log, "before", T0);
        AtomicBoolean alive = new AtomicBoolean(true);
        InputStream in = files.read(log, new LogOptions(null, null, null, true, true, false), alive::get);
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                in.transferTo(seen);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        reader.start();
        times.record(log, Files.size(log) + "after\n".length(), T0.plusSeconds(30)); // the sampler's record of the next line
        Files.writeString(log, "after\n", StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen.toString(StandardCharsets.UTF_8))
                .isEqualTo("2024-05-01T10:00:00.000000000Z before\n2024-05-01T10:00:30.000000000Z after\n"));
        alive.set(false);
        reader.join(10_000);
        assertThat(reader.isAlive()).isFalse();
    }

    static ContainerStatus status(ContainerState state, boolean restarted) {
        ContainerStatusBuilder b = new ContainerStatusBuilder().withName("app").withState(state);
        if (restarted) {
            b.withNewLastState().withNewTerminated().withExitCode(1).endTerminated().endLastState();
        }
        return b.build();
    }

    static ContainerState running() {
        return new ContainerStateBuilder().withNewRunning().endRunning().build();
    }

    static ContainerState waiting(String reason) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).endWaiting().build();
    }

    static Stream<Arguments> previousInstances() {
        Path first = Path.of("app.log");
        Path second = Path.of("app.1.log");
        Path third = Path.of("app.2.log");
        return Stream.of(
                Arguments.of("no status yet", List.of(first), null, Optional.empty()),
                Arguments.of("running, never restarted", List.of(first), status(running(), false), Optional.empty()),
                Arguments.of("running after a restart", List.of(first, second), status(running(), true), Optional.of(first)),
                Arguments.of("running after restarts, an older log not removed yet", List.of(first, second, third), status(running(), true),
                        Optional.of(second)),
                Arguments.of("back-off: the last terminated is the newest", List.of(first, second), status(waiting("CrashLoopBackOff"), true),
                        Optional.of(second)),
                Arguments.of("running after a restart, its previous log removed", List.of(second), status(running(), true), Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("previousInstances")
    void thePreviousInstanceIsTheLastTerminatedOne(String what, List<Path> instances, ContainerStatus status, Optional<Path> expected) {
        assertThat(LogFiles.previousInstance(instances, status)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("instancesThatMayWrite")
    void aFollowOfTheCurrentInstanceLastsWhileItMayStillWrite(String what, ContainerStatus status, boolean mayWrite) {
        assertThat(LogFiles.mayStillWrite(status)).isEqualTo(mayWrite);
    }

    static Stream<Arguments> instancesThatMayWrite() {
        return Stream.of(
                Arguments.of("no status yet", null, true),
                Arguments.of("waiting to start", status(waiting("ContainerCreating"), false), true),
                Arguments.of("running", status(running(), true), true),
                Arguments.of("exited, waiting to restart", status(waiting("CrashLoopBackOff"), true), false),
                Arguments.of("terminated (node lost)", status(new ContainerStateBuilder().withNewTerminated().withExitCode(137).endTerminated().build(),
                        false), false));
    }

    @Test
    void plainLogsShowTheCurrentInstanceAndPreviousTheOneBefore() throws Exception {
        line(log, "first instance", T0);
        Path current = dirs.nextLogFile("default", "web", "app");
        assertThat(current.getFileName()).hasToString("app.1.log");
        line(current, "second instance", T0.plusSeconds(1));
        Pod pod = new PodBuilder().withNewMetadata().withNamespace("default").withName("web").endMetadata()
                .withNewStatus().withContainerStatuses(status(running(), true)).endStatus().build();

        assertThat(read(files.open(pod, "app", options(null, null, null, false), () -> Optional.of(pod)).orElseThrow()))
                .isEqualTo("second instance\n");
        assertThat(read(files.open(pod, "app", new LogOptions(null, null, null, false, true, true), () -> Optional.of(pod)).orElseThrow()))
                .isEqualTo("2024-05-01T10:00:00.000000000Z first instance\n");
        Pod fresh = new PodBuilder(pod).editStatus().withContainerStatuses(status(running(), false)).endStatus().build();
        assertThat(files.open(fresh, "app", new LogOptions(null, null, null, false, false, true), () -> Optional.of(fresh))).isEmpty();
    }
}
