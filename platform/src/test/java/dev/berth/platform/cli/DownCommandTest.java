package dev.berth.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.runtime.LaunchSpec;
import dev.berth.platform.runtime.ReplicaLedger;
import dev.berth.platform.runtime.ReplicaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code berth down} with no core left: it kills the core's recorded replicas and nothing else. */
class DownCommandTest {

    @TempDir
    Path state;

    @Test
    void killsRecordedReplicasButNotABystanderTailingALogUnderTheStateDirectory() throws Exception {
        Path core = state.resolve("core");
        Path log = core.resolve("pods/default/web-1/logs/web.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "started\n");
        Process tail = new ProcessBuilder("tail", "-f", log.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        ReplicaProcess replica = ReplicaProcess.start(new LaunchSpec(List.of("sleep", "300"), Map.of(), state, log));
        try {
            ReplicaLedger ledger = new ReplicaLedger(core);
            ledger.track(replica);
            // a stale entry whose pid is now someone else's (the tail, started at another time): never killed
            Files.createFile(core.resolve("replicas").resolve(tail.pid() + "@12345"));

            int exit = new CommandLine(new BerthCli()).execute("down", "--state", state.toString(), "--server", "http://127.0.0.1:9");

            assertThat(exit).isEqualTo(1); // an orphan was found and killed
            assertThat(replica.isAlive()).isFalse();
            assertThat(tail.isAlive()).isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(core.resolve("replicas")).isEmptyDirectory());
        } finally {
            tail.destroyForcibly();
            replica.kill();
        }
    }
}
