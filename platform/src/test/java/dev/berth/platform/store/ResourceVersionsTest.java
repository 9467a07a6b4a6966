package dev.berth.platform.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.model.ObjectKey;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** resourceVersions never go back, across restarts too, so a stale update cannot match a re-created object. */
class ResourceVersionsTest {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    @TempDir
    Path dir;

    ObjectStore open() {
        return new ObjectStore(dir, JSON, Clock.systemUTC(), 5);
    }

    static ConfigMap config(String value) {
        return new ConfigMapBuilder().withNewMetadata().withName("a").endMetadata().addToData("key", value).build();
    }

    static long rv(ConfigMap c) {
        return Long.parseLong(c.getMetadata().getResourceVersion());
    }

    @Test
    void aReCreatedObjectGetsAVersionAboveEveryOneHandedOutBeforeTheRestart() {
        ConfigMap first;
        long newestBefore;
        try (ObjectStore store = open()) {
            first = store.create(config("old"));
            store.delete(ObjectKey.of(first));
            newestBefore = store.revision();
        }
        try (ObjectStore store = open()) {
            ConfigMap again = store.create(config("new"));
            assertThat(rv(again)).isGreaterThan(newestBefore);

            ConfigMap stale = JSON.clone(first); // an update based on the deleted object's version
            stale.getData().put("key", "stale");
            assertThatThrownBy(() -> store.update(stale))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CONFLICT));
            assertThat(store.<ConfigMap>get(ObjectKey.of(again)).orElseThrow().getData()).containsEntry("key", "new");
        }
    }

    @Test
    void versionsOnlyGrowAcrossRestartsAndReservedBlocks() {
        ObjectKey key = ObjectKey.of(config(""));
        long previous = 0;
        for (int restart = 0; restart < 2; restart++) {
            try (ObjectStore store = open()) {
                assertThat(store.revision()).isGreaterThanOrEqualTo(previous);
                ConfigMap c = store.create(config("0"));
                for (int i = 0; i <= ResourceVersions.BLOCK; i++) { // crosses at least one reservation
                    assertThat(rv(c)).isGreaterThan(previous);
                    previous = rv(c);
                    int n = i;
                    c = store.mutate(key, (ConfigMap x) -> config(Integer.toString(n + 1)));
                }
                store.delete(key);
                previous = store.revision();
            }
        }
    }

    @Test
    void anUnreadableMarkIsQuarantinedAndTheStoreContinuesAboveItsObjects() throws Exception {
        ConfigMap kept;
        try (ObjectStore store = open()) {
            kept = store.create(config("kept"));
        }
        Path mark = dir.resolve(ResourceVersions.FILE);
        Files.writeString(mark, "not a number");
        try (ObjectStore store = open()) {
            assertThat(store.<ConfigMap>get(ObjectKey.of(kept))).isPresent();
            assertThat(store.revision()).isGreaterThanOrEqualTo(rv(kept));
            assertThat(rv(store.mutate(ObjectKey.of(kept), (ConfigMap x) -> config("next")))).isGreaterThan(rv(kept));
        }
        assertThat(dir.resolve("quarantine").resolve(ResourceVersions.FILE)).hasContent("not a number");
    }
}
