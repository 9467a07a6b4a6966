package dev.berth.platform.logs;

import static dev.berth.platform.testapp.ChattyReplica.allocatedBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.runtime.LogRotation;
import dev.berth.platform.runtime.LogRotationPolicy;
import dev.berth.platform.runtime.LogStartOffsets;
import dev.berth.platform.runtime.PodDirectories;
import dev.berth.platform.runtime.ReplicaProcess;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.testapp.ChattyReplica;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real log shipper and the kubelet's log rotation over one real replica's log: every line reaches the sink
 * exactly once and in order while the rotation releases shipped parts underneath, and a core crash between the
 * rotation recording a start and releasing its bytes — the shipper's last acknowledgements and checkpoint lost with
 * it — loses nothing: the new instances over the same directories ship on from the checkpoint on disk.
 */
class RotatedLogShippingTest {

    static final long PART = 256 * 1024;
    static final int LINES = 40_000;

    @TempDir
    Path state;

    ObjectStore store;
    PodDirectories dirs;
    Path log;
    BulkSink sink;
    Elasticsearch client;
    ReplicaProcess replica;
    Core core;

    /** One run of the core's log parts: the shipper, and the rotation on its own timer. */
    record Core(LogStartOffsets starts, LogShipper shipper, LogRotation rotation, ScheduledExecutorService timer, List<String> broken) {

        /** Stops the timer and waits for a pass in progress. */
        void stopRotating() throws InterruptedException {
            timer.shutdown();
            assertThat(timer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @BeforeEach
    void aPodWithALog() throws Exception {
        store = new ObjectStore(state.resolve("store"), new KubernetesSerialization(), Clock.systemUTC(), 100);
        store.create(new PodBuilder().withNewMetadata().withName("chatty-1").withNamespace("berth").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("chatty").endContainer().endSpec().build());
        dirs = new PodDirectories(state, true);
        log = dirs.logFile("berth", "chatty-1", "app");
        sink = BulkSink.start();
        client = new Elasticsearch(sink.url());
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (replica != null) {
            replica.kill();
        }
        if (core != null) {
            core.timer().shutdownNow();
            core.shipper().close();
        }
        client.close();
        sink.close();
        store.close();
    }

    Core startCore() {
        LogStartOffsets starts = LogStartOffsets.load(state.resolve("log-start-offsets.json"));
        LogShipper shipper = new LogShipper(ShipperBench.CONFIG, client.client(), new IndexTemplate(client.client()), new LogSources(state.resolve("pods"), store),
                starts, state.resolve("log-shipper"), Clock.systemUTC(), new SimpleMeterRegistry());
        LogRotation rotation = new LogRotation(dirs, new LogRotationPolicy(PART, 3), starts, shipper);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        List<String> broken = Collections.synchronizedList(new ArrayList<>());
        shipper.start();
        timer.scheduleWithFixedDelay(() -> {
            try {
                rotation.rotate();
                // checked on every pass: nothing unshipped released, and only released bytes gone from the disk
                long inode = LogStartOffsets.inode(log);
                long start = starts.of(log);
                if (start > shipper.shippedUpTo(log, inode)) {
                    broken.add("start " + start + " past the durable checkpoint " + shipper.shippedUpTo(log, inode));
                }
                long allocated = allocatedBytes(log);
                if (allocated > Files.size(log) - start + 8192) {
                    broken.add(allocated + " bytes on disk for " + (Files.size(log) - start) + " retained");
                }
            } catch (java.nio.file.NoSuchFileException notYet) {
                // the replica has not opened its log yet
            } catch (IOException | InterruptedException e) {
                broken.add(e.toString());
            }
        }, 20, 20, TimeUnit.MILLISECONDS);
        return new Core(starts, shipper, rotation, timer, broken);
    }

    @Test
    void everyLineArrivesOnceInOrderThroughRotationsAndACrashBetweenRecordingAStartAndReleasingIt() throws Exception {
        core = startCore();
        replica = ChattyReplica.start(log, state.resolve("work"), LINES, 20_000); // about 3 MB/s, 23 parts of 256 KiB
        await("a third of the lines shipped and the log rotated").atMost(Duration.ofSeconds(60))
                .until(() -> numbered(sink.received()) >= LINES / 3 && core.starts().of(log) > 0);

        // the crash: the rotation records a start and dies before releasing it; the shipper dies with acknowledgements
        // and a checkpoint the disk never saw (its close flushes them; the checkpoint file is put back as it was)
        core.stopRotating();
        List<LogRotation.Move> unreleased = core.rotation().plan();
        Path checkpoints = state.resolve("log-shipper").resolve("checkpoints.json");
        byte[] checkpointAtCrash = Files.readAllBytes(checkpoints);
        int arrivedBeforeCrash = sink.received().size();
        assertThat(core.broken()).isEmpty();
        core.shipper().close();
        Files.write(checkpoints, checkpointAtCrash);
        long resumeAt = new Checkpoints(checkpoints).load().get(log.toString()).offset();
        assertThat(unreleased).extracting(LogRotation.Move::to).allSatisfy(to -> assertThat(to).isLessThanOrEqualTo(resumeAt));

        core = startCore(); // new instances over the same directories; the replica wrote on meanwhile
        await("every line shipped and checkpointed").atMost(Duration.ofSeconds(90))
                .until(() -> numbered(sink.received()) == LINES && core.shipper().shippedUpTo(log, LogStartOffsets.inode(log)) == Files.size(log));
        core.stopRotating();
        core.rotation().rotate();

        List<BulkSink.Item> arrivals = sink.received();
        Map<String, BulkSink.Item> byId = new LinkedHashMap<>();
        arrivals.forEach(i -> byId.putIfAbsent(i.id(), i));
        List<BulkSink.Item> documents = byId.values().stream().sorted(Comparator.comparingLong(BulkSink.Item::offset)).toList();
        assertThat(documents.stream().filter(d -> d.sequence() >= 0).map(BulkSink.Item::sequence).toList()).as("every line once, in the order written")
                .containsExactly(LongStream.rangeClosed(1, LINES).boxed().toArray(Long[]::new));
        assertThat(documents).as("one document per line of the file, its first (plain) line included").hasSize(LINES + 1);
        assertThat(new HashSet<>(arrivals.subList(0, arrivedBeforeCrash))).as("none twice before the crash").hasSize(arrivedBeforeCrash);
        Set<String> seen = new HashSet<>();
        assertThat(arrivals.stream().filter(i -> !seen.add(i.id())).toList()).as("sent again: only lines not checkpointed at the crash")
                .allSatisfy(i -> assertThat(i.offset()).isGreaterThanOrEqualTo(resumeAt));
        assertThat(core.broken()).isEmpty();
        assertThat(Files.size(log)).isGreaterThan(8 * PART);
        assertThat(allocatedBytes(log)).as("on disk once shipped: the newest 3 parts").isLessThanOrEqualTo(3 * PART + 4096);
    }

    @Test
    void aShipperWithoutACheckpointStartsAtTheLogStartNotInTheReleasedBytes() throws Exception {
        // a core that ran without Elasticsearch rotated the log; this one ships it for the first time
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) {
            lines.append("{\"message\":\"line ").append(i).append("\",\"event.sequence\":").append(i).append("}\n");
        }
        Files.createDirectories(log.getParent());
        Files.writeString(log, lines);
        LogStartOffsets starts = LogStartOffsets.load(state.resolve("log-start-offsets.json"));
        new LogRotation(dirs, new LogRotationPolicy(PART, 3), starts, dev.berth.platform.runtime.ShippedLogs.NO_SHIPPER).rotate();
        long start = starts.of(log);
        assertThat(start).isPositive();
        long firstKept = Long.parseLong(Files.readString(log).substring((int) start).split("\"event.sequence\":")[1].split("}")[0]);

        core = startCore();
        await("the retained lines shipped").atMost(Duration.ofSeconds(60))
                .until(() -> core.shipper().shippedUpTo(log, LogStartOffsets.inode(log)) == Files.size(log));

        // two bulk requests run at once, so arrival order is per request: the lines' order is their offsets'
        List<BulkSink.Item> byOffset = sink.received().stream().sorted(Comparator.comparingLong(BulkSink.Item::offset)).toList();
        assertThat(byOffset).extracting(BulkSink.Item::sequence).containsExactly(LongStream.rangeClosed(firstKept, 20_000).boxed().toArray(Long[]::new));
        assertThat(byOffset.get(0).offset()).isEqualTo(start);
    }

    static long numbered(List<BulkSink.Item> items) {
        return items.stream().filter(i -> i.sequence() >= 0).map(BulkSink.Item::id).distinct().count();
    }
}
