package dev.berth.platform.testapp;

import dev.berth.platform.runtime.LaunchSpec;
import dev.berth.platform.runtime.ReplicaProcess;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A replica-like process for log tests: {@link TestApp} run straight from the test classes by {@link ReplicaProcess},
 * so its stdout is the log file opened the kubelet's way, writing {@code lines} JSON lines ({@code event.sequence}
 * 1..N) at {@code rate} lines/s (0: as fast as it can), then idling until stopped.
 */
public final class ChattyReplica {

    private ChattyReplica() {}

    public static ReplicaProcess start(Path log, Path workDir, long lines, long rate) throws IOException {
        Path classes;
        try {
            classes = Path.of(TestApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return ReplicaProcess.start(new LaunchSpec(
                List.of(java.toString(), "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classes.toString(), TestApp.class.getName()),
                Map.of("PORT", "0", "HOSTNAME", "chatty", "LOG_LINES", Long.toString(lines), "LOG_RATE", Long.toString(rate)),
                Files.createDirectories(workDir), log));
    }

    /** Bytes the file holds on disk ({@code stat %b} blocks of 512), holes not counted. */
    public static long allocatedBytes(Path file) throws IOException, InterruptedException {
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (stat.waitFor() != 0) {
            throw new IOException("stat " + file + ": " + out);
        }
        return Long.parseLong(out) * 512;
    }

    /** The {@code event.sequence} of a line the replica wrote. */
    public static long sequence(String line) {
        int at = line.indexOf("\"event.sequence\":");
        if (at < 0) {
            throw new AssertionError("not a numbered line: " + line);
        }
        return Long.parseLong(line.substring(at + "\"event.sequence\":".length(), line.lastIndexOf('}')));
    }
}
