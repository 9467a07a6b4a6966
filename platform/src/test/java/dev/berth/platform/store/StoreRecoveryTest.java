package dev.berth.platform.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A store file that cannot be loaded is quarantined, never deleted, and the store opens with everything else. */
class StoreRecoveryTest {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    @TempDir
    Path dir;

    ObjectStore open() {
        return new ObjectStore(dir, JSON, Clock.systemUTC(), 5);
    }

    static Stream<Arguments> unloadableFiles() {
        String widget = "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\",\"namespace\":\"default\",\"resourceVersion\":\"7\"}}";
        String elsewhere = JSON.asJson(new ConfigMapBuilder().withNewMetadata().withName("b").withNamespace("default").withResourceVersion("3")
                .endMetadata().build());
        return Stream.of(
                Arguments.of("truncated JSON", "configmaps/default/t.json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"na".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a kind the store does not know", "configmaps/default/w.json", widget.getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a valid ConfigMap b stored as x.json", "configmaps/default/x.json", elsewhere.getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a valid ConfigMap in the Secrets' directory", "secrets/default/b.json", elsewhere.getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a resourceVersion that is not a number", "configmaps/default/b.json",
                        elsewhere.replace("\"3\"", "\"three\"").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("bytes that are not UTF-8", "configmaps/default/u.json", new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}),
                Arguments.of("an empty file", "nodes/_/n.json", new byte[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unloadableFiles")
    void anUnloadableFileIsQuarantinedAndTheRestLoads(String what, String relative, byte[] content) throws Exception {
        ConfigMap a;
        try (ObjectStore store = open()) {
            a = store.create(new ConfigMapBuilder().withNewMetadata().withName("a").endMetadata().addToData("k", "v").build());
            store.create(new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().build());
        }
        Path bad = dir.resolve(relative);
        Files.createDirectories(bad.getParent());
        Files.write(bad, content);

        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger log = Logger.getLogger(ObjectStore.class.getName());
        log.addHandler(recorder);
        try (ObjectStore store = open()) {
            assertThat(store.list(ResourceKind.CONFIGMAP, null, null)).hasSize(1);
        } finally {
            log.removeHandler(recorder);
        }
        assertThat(warnings).singleElement().satisfies(w -> assertThat(formatted(w))
                .contains(bad.toString(), dir.resolve("quarantine").resolve(relative).toString(), "Exception"));

        for (int restart = 0; restart < 2; restart++) { // later starts find the store as the first one left it
            try (ObjectStore store = open()) {
                assertThat(store.<ConfigMap>get(ObjectKey.of(a)).orElseThrow().getData()).containsEntry("k", "v");
                assertThat(store.get(new ObjectKey(ResourceKind.NODE, null, "node-1"))).isPresent();
                assertThat(store.list(ResourceKind.CONFIGMAP, null, null)).hasSize(1);
                assertThat(store.list(ResourceKind.SECRET, null, null)).isEmpty();
                assertThat(store.list(ResourceKind.NODE, null, null)).hasSize(1);
                assertThat(store.revision()).isGreaterThanOrEqualTo(Long.parseLong(a.getMetadata().getResourceVersion()));
            }
            assertThat(bad).doesNotExist();
            assertThat(dir.resolve("quarantine").resolve(relative)).hasBinaryContent(content);
        }
    }

    static String formatted(LogRecord r) {
        return new SimpleFormatter().formatMessage(r);
    }

    @Test
    void aSecondBadFileOfTheSamePathIsKeptBesideTheFirst() throws Exception {
        Path bad = dir.resolve("configmaps/default/t.json");
        for (String content : new String[] {"{\"first", "{\"second"}) {
            Files.createDirectories(bad.getParent());
            Files.writeString(bad, content);
            open().close();
        }
        assertThat(dir.resolve("quarantine/configmaps/default/t.json")).hasContent("{\"first");
        assertThat(dir.resolve("quarantine/configmaps/default/t.json.1")).hasContent("{\"second");
    }

    /** Events come back once each after a restart (core/v1 and events.k8s.io/v1 share the directory), so the cap counts them right. */
    @Test
    void eventsReloadOnceEachAndTheCapKeepsTheNewestFive() throws Exception {
        try (ObjectStore store = open()) {
            for (int i = 1; i <= 3; i++) {
                store.create(event("e" + i));
            }
        }
        try (ObjectStore store = open()) {
            assertThat(store.list(ResourceKind.EVENT, "default", null)).hasSize(3);
            store.create(event("e4"));
            store.create(event("e5"));
            assertThat(eventNames(store)).containsExactlyInAnyOrder("e1", "e2", "e3", "e4", "e5");
            store.create(event("e6")); // beyond 5: the oldest goes
            assertThat(eventNames(store)).containsExactlyInAnyOrder("e2", "e3", "e4", "e5", "e6");
        }
    }

    private static List<String> eventNames(ObjectStore store) {
        return store.<io.fabric8.kubernetes.api.model.Event>list(ResourceKind.EVENT, "default", null).stream().map(e -> e.getMetadata().getName()).toList();
    }

    private static io.fabric8.kubernetes.api.model.Event event(String name) {
        return new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withReason("Test").withNewInvolvedObject().withKind("Pod").withName("p").withNamespace("default").endInvolvedObject().build();
    }
}
