package dev.berth.platform.runtime;

import dev.berth.platform.testapp.ChattyReplica;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * ci/bench-log-rotation.sh: how fast a replica can write its log with rotation off, with rotation on (the defaults:
 * 10Mi × 5, a pass every second), and — the design not taken — through a pipe to a writer process ({@code cat >>},
 * the part of a {@code rotatelogs}/{@code multilog} helper that every line pays for). The replica is {@link Writer}, a
 * JVM printing {@code LINES} JSON lines with {@code System.out.println} as fast as it can and timing itself; modes
 * alternate in each round. Prints every run, then per mode the median lines/s, the peak of the file's blocks on disk
 * and the median duration of a rotation pass that released something.
 *
 * <p>Args: work-dir lines rounds.
 */
public final class LogRotationBench {

    record Run(double linesPerSecond, long peakAllocated, List<Double> releasingPassesMs) {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        long lines = Long.parseLong(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        List<String> modes = List.of("off", "on", "pipe");
        for (int round = 1; round <= rounds; round++) {
            List<String> order = new ArrayList<>(modes);
            Collections.rotate(order, round); // each mode goes first once in three rounds
            for (String mode : order) {
                Run r = run(work.resolve("round-" + round + "-" + mode), mode, lines);
                runs.computeIfAbsent(mode, m -> new ArrayList<>()).add(r);
                System.out.printf("round %d rotation %-4s: %,.0f lines/s, peak on disk %,d KiB, %d releasing passes (median %.1f ms)%n", round, mode,
                        r.linesPerSecond(), r.peakAllocated() >> 10, r.releasingPassesMs().size(), median(r.releasingPassesMs()));
            }
        }
        for (String mode : modes) {
            List<Run> rs = runs.get(mode);
            System.out.printf("median rotation %-4s: %,.0f lines/s, peak on disk %,d KiB, releasing pass %.1f ms%n", mode,
                    median(rs.stream().map(Run::linesPerSecond).toList()),
                    (long) median(rs.stream().map(r -> (double) r.peakAllocated()).toList()) >> 10,
                    median(rs.stream().flatMap(r -> r.releasingPassesMs().stream()).toList()));
        }
    }

    static Run run(Path dir, String mode, long lines) throws Exception {
        PodDirectories dirs = new PodDirectories(dir);
        Path log = dirs.logFile("bench", "writer-1", "app");
        Files.createDirectories(log.getParent());
        Path result = dir.resolve("result");
        LogStartOffsets starts = LogStartOffsets.load(dir.resolve("log-start-offsets.json"));
        LogRotation rotation = new LogRotation(dirs, LogRotationPolicy.of("10Mi", 5), starts, ShippedLogs.NO_SHIPPER);
        List<Double> passes = Collections.synchronizedList(new ArrayList<>());
        long[] peak = new long[1];
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (mode.equals("on")) {
                    long t = System.nanoTime();
                    if (!rotation.rotate().isEmpty()) {
                        passes.add((System.nanoTime() - t) / 1e6);
                    }
                }
                if (Files.exists(log)) {
                    peak[0] = Math.max(peak[0], ChattyReplica.allocatedBytes(log));
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        try {
            List<String> writer = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                    classPath(), Writer.class.getName(), Long.toString(lines), result.toString());
            if (mode.equals("pipe")) {
                List<Process> pipeline = ProcessBuilder.startPipeline(List.of(new ProcessBuilder(writer),
                        new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))));
                for (Process p : pipeline) {
                    p.waitFor();
                }
            } else {
                ReplicaProcess replica = ReplicaProcess.start(new LaunchSpec(writer, Map.of(), dir, log));
                if (replica.onExit().get() != 0) {
                    throw new IllegalStateException("the writer failed; see " + log);
                }
            }
        } finally {
            timer.shutdown();
            timer.awaitTermination(30, TimeUnit.SECONDS);
        }
        long nanos = Long.parseLong(Files.readString(result).strip());
        Run r = new Run(lines / (nanos / 1e9), Math.max(peak[0], ChattyReplica.allocatedBytes(log)), List.copyOf(passes));
        deleteTree(dir);
        return r;
    }

    /** This JVM's class path made absolute: the replica runs in its own directory. */
    static String classPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The replica: {@code lines} JSON lines on stdout, then the nanoseconds they took into {@code result}. */
    public static final class Writer {
        public static void main(String[] args) throws IOException {
            long lines = Long.parseLong(args[0]);
            PrintStream out = System.out;
            long start = System.nanoTime();
            for (long i = 1; i <= lines; i++) {
                out.println("{\"@timestamp\":\"2026-11-22T10:00:00.000Z\",\"log.level\":\"INFO\",\"log.logger\":\"bench\",\"message\":\"line " + i
                        + " of " + lines + "\",\"event.sequence\":" + i + "}");
            }
            out.flush();
            Files.writeString(Path.of(args[1]), Long.toString(System.nanoTime() - start));
        }
    }
}
