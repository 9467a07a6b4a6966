package dev.berth.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.config.CoreConfig;
import dev.berth.platform.runtime.LogStartOffsets;
import dev.berth.platform.runtime.PodDirectories;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file with more lines than the shipper's window is shipped in one go: once a pass has read what fitted, the next
 * pass starts at once rather than after the poll interval. The ingester holds fewer documents (two batches in flight,
 * one filling) than half the window, so acknowledgements never woke a waiting reader, and every pass that did not
 * fill the window was followed by a full poll interval of nothing sent (1.6 s of an 8 s run in ci/bench-logs.sh at
 * the default 200 ms; here the interval is 10 minutes, so a reader that waits it out never finishes).
 */
class ShipperReadsOnTest {

    static final int LINES = 1_000;

    /** A window of 100 documents, batches of 10, one request at a time, and a poll interval no test waits out. */
    static final CoreConfig.Logs SMALL_WINDOW = new CoreConfig.Logs() {
        public Optional<URI> elasticsearchUrl() { return Optional.empty(); }
        public String indexPrefix() { return "berth-logs-"; }
        public int batchDocuments() { return 10; }
        public long batchBytes() { return 1 << 20; }
        public Duration flushInterval() { return Duration.ofSeconds(1); }
        public int concurrentRequests() { return 1; }
        public int maxInFlight() { return 100; }
        public Duration pollInterval() { return Duration.ofMinutes(10); }
    };

    @TempDir
    Path state;

    @Test
    void linesBeyondTheWindowAreShippedWithoutWaitingOutThePollInterval() throws Exception {
        try (ObjectStore store = new ObjectStore(state.resolve("store"), new KubernetesSerialization(), Clock.systemUTC(), 100);
                BulkSink sink = BulkSink.start();
                Elasticsearch client = new Elasticsearch(sink.url())) {
            store.create(new PodBuilder().withNewMetadata().withName("chatty-1").withNamespace("berth").endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("chatty").endContainer().endSpec().build());
            Path file = new PodDirectories(state, true).logFile("berth", "chatty-1", "app");
            Files.createDirectories(file.getParent());
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < LINES; i++) {
                lines.append("{\"message\":\"line ").append(i).append("\",\"event.sequence\":").append(i).append("}\n");
            }
            Files.writeString(file, lines, StandardCharsets.UTF_8);

            try (LogShipper shipper = new LogShipper(SMALL_WINDOW, client.client(), new IndexTemplate(client.client()),
                    new LogSources(state.resolve("pods"), store), LogStartOffsets.load(state.resolve("log-start-offsets.json")),
                    state.resolve("log-shipper"), Clock.systemUTC(), new SimpleMeterRegistry())) {
                shipper.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() >= LINES);
            }
            assertThat(sink.received()).extracting(BulkSink.Item::sequence).as("every line once, in order")
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, LINES).boxed().toList());
        }
    }
}
