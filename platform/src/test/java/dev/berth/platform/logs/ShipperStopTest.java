package dev.berth.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.runtime.LogStartOffsets;
import dev.berth.platform.runtime.PodDirectories;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the shipper while it ships: its close interrupts the shipping thread, which may be in the middle of a file
 * read or the checkpoint's write (a {@code FileChannel} then gives up with {@code ClosedByInterruptException}). That is a
 * stop, not a failed pass: no error is logged, and the checkpoint close writes after it holds what was acknowledged.
 */
class ShipperStopTest {

    static final int LINES = 300_000;

    @TempDir
    Path state;

    @Test
    void stoppingMidPassLogsNoErrorAndKeepsTheCheckpoint() throws Exception {
        List<LogRecord> errors = Collections.synchronizedList(new ArrayList<>());
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(r);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger log = Logger.getLogger(LogShipper.class.getName());
        log.addHandler(recorder);
        try (ObjectStore store = new ObjectStore(state.resolve("store"), new KubernetesSerialization(), Clock.systemUTC(), 100);
                BulkSink sink = BulkSink.start();
                Elasticsearch client = new Elasticsearch(sink.url())) {
            store.create(new PodBuilder().withNewMetadata().withName("busy-1").withNamespace("berth").endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("busy").endContainer().endSpec().build());
            Path file = new PodDirectories(state, true).logFile("berth", "busy-1", "app");
            Files.createDirectories(file.getParent());
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < LINES; i++) {
                lines.append("line ").append(i).append(" of a replica that writes a lot\n");
            }
            Files.writeString(file, lines, StandardCharsets.UTF_8);

            for (int stop = 1; stop <= 5; stop++) { // each stop lands somewhere else in a pass
                int before = sink.received().size();
                LogShipper shipper = new LogShipper(ShipperBench.CONFIG, client.client(), new IndexTemplate(client.client()),
                        new LogSources(state.resolve("pods"), store), LogStartOffsets.load(state.resolve("log-start-offsets.json")),
                        state.resolve("log-shipper"), Clock.systemUTC(), new SimpleMeterRegistry());
                shipper.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() > before + 1_000 || sink.received().size() >= LINES);
                shipper.close();
                long inode = LogStartOffsets.inode(file);
                assertThat(shipper.shippedUpTo(file, inode)).as("stop %d: the checkpoint holds what was shipped", stop).isPositive();
            }
        } finally {
            log.removeHandler(recorder);
        }
        assertThat(errors).extracting(r -> r.getMessage() + " " + r.getThrown()).isEmpty();
    }
}
