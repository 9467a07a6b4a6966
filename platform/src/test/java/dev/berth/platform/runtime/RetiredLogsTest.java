package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instances older than the previous one lose their logs, each only once the shipper has all of it. */
class RetiredLogsTest {

    @TempDir
    Path state;

    @Test
    void theCurrentAndPreviousInstancesStayAndOlderOnesGoOnceShipped() throws Exception {
        PodDirectories dirs = new PodDirectories(state);
        Path logs = Files.createDirectories(state.resolve("pods/default/web/logs"));
        for (String name : List.of("app.log", "app.1.log", "app.2.log", "app.3.log", "sidecar.log")) {
            Files.writeString(logs.resolve(name), name + " line\n");
        }
        Map<Path, Long> shipped = new HashMap<>(Map.of(logs.resolve("app.log"), Long.MAX_VALUE, logs.resolve("app.1.log"), 3L));
        RetiredLogs retired = new RetiredLogs(dirs, (file, inode) -> shipped.getOrDefault(file, 0L));

        assertThat(retired.remove()).containsExactly(logs.resolve("app.log"));
        assertThat(dirs.instanceLogs("default", "web", "app")).extracting(p -> p.getFileName().toString())
                .containsExactly("app.1.log", "app.2.log", "app.3.log"); // app.1.log: not all of it shipped yet
        shipped.put(logs.resolve("app.1.log"), Files.size(logs.resolve("app.1.log")));
        assertThat(retired.remove()).containsExactly(logs.resolve("app.1.log"));
        assertThat(retired.remove()).isEmpty();
        assertThat(dirs.instanceLogs("default", "web", "sidecar")).containsExactly(logs.resolve("sidecar.log"));
    }
}
