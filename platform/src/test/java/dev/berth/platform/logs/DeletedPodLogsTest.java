package dev.berth.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.runtime.PodDirectories;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deleted pod's log lines that Elasticsearch has not acknowledged survive a crash of the core: the kubelet leaves
 * the pod's {@code logs/} to the shipper, which finds them after the restart, ships from the checkpoint to the end and
 * only then removes them. Real files, a real store; acknowledgements are what Elasticsearch's answers would trigger.
 */
class DeletedPodLogsTest {

    @TempDir
    Path state;

    ObjectStore store;
    PodDirectories dirs;
    Path log;

    @BeforeEach
    void aPodThatLogged() throws Exception {
        store = new ObjectStore(state.resolve("store"), new KubernetesSerialization(), Clock.systemUTC(), 100);
        store.create(pod());
        dirs = new PodDirectories(state, true);
        dirs.tmp(pod());
        log = dirs.logFile("berth", "web-1", "app");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "one\ntwo\nthree\n");
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void linesNotAcknowledgedWhenThePodIsDeletedAndTheCoreCrashesAreShippedAfterTheRestartThenTheFileIsRemoved() throws Exception {
        LogSources sources = new LogSources(state.resolve("pods"), store);
        Checkpoints checkpoints = new Checkpoints(state.resolve("log-shipper").resolve("checkpoints.json"));
        LogSources.Found found = sources.scan().get(0);
        try (TailedFile file = new TailedFile(sources.describe(found), found.path(), found.inode(), 0, null)) {
            List<Long> offsets = readAll(file);
            file.acknowledged(offsets.get(0)); // "two" and "three" still on their way
            checkpoints.save(Map.of(found.path().toString(), file.committed()));
        }

        store.delete(new ObjectKey(ResourceKind.POD, "berth", "web-1"));
        dirs.deletePodDir("berth", "web-1"); // what the kubelet does at the end of the pod's deletion
        // ... and the core crashes before Elasticsearch answered

        assertThat(log).hasContent("one\ntwo\nthree");
        assertThat(state.resolve("pods/berth/web-1/tmp")).doesNotExist();
        LogSources restarted = new LogSources(state.resolve("pods"), store);
        LogSources.Found again = restarted.scan().get(0);
        assertThat(again).isEqualTo(found);
        assertThat(restarted.podGone(again)).isTrue();
        Checkpoints.Position at = checkpoints.load().get(found.path().toString());
        List<String> replayed = new ArrayList<>();
        try (TailedFile file = new TailedFile(restarted.describe(again), again.path(), again.inode(), at.offset(), at.timestamp())) {
            file.gone(true);
            file.read(ByteBuffer.allocate(1024), 100, l -> {
                replayed.add(new String(l.buffer(), l.from(), l.length(), StandardCharsets.UTF_8));
                return null;
            });
            assertThat(replayed).containsExactly("two", "three");
            assertThat(file.finished()).isFalse(); // read, not yet acknowledged: the file must stay
            file.acknowledged(4);
            file.acknowledged(8);
            assertThat(file.finished()).isTrue();
        }
        restarted.removeShipped(again);

        assertThat(state.resolve("pods/berth/web-1")).doesNotExist();
        assertThat(state.resolve("pods/berth")).exists();
    }

    @Test
    void aPodOfTheSameNameAppendingAgainKeepsTheFile() throws Exception {
        LogSources sources = new LogSources(state.resolve("pods"), store);
        LogSources.Found found = sources.scan().get(0);
        assertThat(sources.podGone(found)).isFalse();
        store.delete(new ObjectKey(ResourceKind.POD, "berth", "web-1"));
        assertThat(sources.podGone(found)).isTrue();

        store.create(pod());

        assertThat(sources.podGone(found)).isFalse();
    }

    @Test
    void withoutAShipperTheKubeletRemovesTheWholePodDirectory() throws Exception {
        new PodDirectories(state, false).deletePodDir("berth", "web-1");

        assertThat(state.resolve("pods/berth/web-1")).doesNotExist();
    }

    @Test
    void aFileReplacedAtItsPathIsAnotherFile() throws Exception {
        LogSources sources = new LogSources(state.resolve("pods"), store);
        LogSources.Found found = sources.scan().get(0);
        assertThat(LogSources.onDisk(found)).isTrue();
        Path next = log.resolveSibling("next");
        Files.writeString(next, "new\n");
        Files.move(next, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(LogSources.onDisk(found)).isFalse();
    }

    private static io.fabric8.kubernetes.api.model.Pod pod() {
        return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("berth").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("web").endContainer().endSpec().build();
    }

    private static List<Long> readAll(TailedFile file) throws Exception {
        List<Long> offsets = new ArrayList<>();
        file.read(ByteBuffer.allocate(1024), 100, l -> {
            offsets.add(l.offset());
            return null;
        });
        return offsets;
    }
}
