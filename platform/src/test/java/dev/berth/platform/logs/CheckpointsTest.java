package dev.berth.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {

    @TempDir
    Path dir;

    @Test
    void positionsSurviveARestartAndAMissingFileMeansNoProgressYet() throws Exception {
        Checkpoints checkpoints = new Checkpoints(dir.resolve("shipper").resolve("checkpoints.json"));
        assertThat(checkpoints.load()).isEmpty();

        checkpoints.save(Map.of("/a.log", new Checkpoints.Position(7, 120, "2026-11-22T10:00:00Z"), "/b.log", new Checkpoints.Position(8, 0, null)));
        checkpoints.save(Map.of("/a.log", new Checkpoints.Position(7, 240, "2026-11-22T10:00:01Z")));

        assertThat(new Checkpoints(dir.resolve("shipper").resolve("checkpoints.json")).load())
                .containsExactly(Map.entry("/a.log", new Checkpoints.Position(7, 240, "2026-11-22T10:00:01Z")));
        assertThat(Files.list(dir.resolve("shipper")).map(p -> p.getFileName().toString()).toList()).containsExactly("checkpoints.json");
    }

    @Test
    void theCheckpointIsPrivateAndATornTemporaryFileFromACrashIsNeitherReadNorInTheWay() throws Exception {
        Path file = dir.resolve("shipper").resolve("checkpoints.json");
        Checkpoints checkpoints = new Checkpoints(file);
        checkpoints.save(Map.of("/a.log", new Checkpoints.Position(7, 120, null)));
        Files.writeString(dir.resolve("shipper").resolve(".checkpoints.tmp"), "{\"/a.log\":{\"ino"); // crashed mid-write

        assertThat(new Checkpoints(file).load()).containsExactly(Map.entry("/a.log", new Checkpoints.Position(7, 120, null)));
        checkpoints.save(Map.of("/a.log", new Checkpoints.Position(7, 240, null)));

        assertThat(new Checkpoints(file).load()).containsExactly(Map.entry("/a.log", new Checkpoints.Position(7, 240, null)));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.list(dir.resolve("shipper")).map(p -> p.getFileName().toString()).toList()).containsExactly("checkpoints.json");
    }
}
