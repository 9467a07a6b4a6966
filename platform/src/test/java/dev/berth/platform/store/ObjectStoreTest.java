package dev.berth.platform.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.model.Labels;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoreTest {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    @TempDir
    Path dir;

    ObjectStore open() {
        return new ObjectStore(dir, JSON, Clock.systemUTC(), 5);
    }

    static ConfigMap config(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels("app", "web").endMetadata()
                .addToData("key", value).build();
    }

    static Deployment deployment(int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec().build();
    }

    @Test
    void everyWriteGetsANewResourceVersionAndSurvivesARestart() {
        ObjectKey key;
        try (ObjectStore store = open()) {
            ConfigMap created = store.create(config("a", "1"));
            assertThat(created.getMetadata().getNamespace()).isEqualTo("default");
            assertThat(created.getMetadata().getUid()).isNotBlank();
            key = ObjectKey.of(created);
            created.getData().put("key", "2");
            ConfigMap updated = store.update(created);
            assertThat(Long.parseLong(updated.getMetadata().getResourceVersion()))
                    .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));
            store.create(config("b", "x"));
            store.delete(new ObjectKey(ResourceKind.CONFIGMAP, "default", "b"));
        }
        try (ObjectStore reopened = open()) {
            ConfigMap a = reopened.<ConfigMap>get(key).orElseThrow();
            assertThat(a.getData()).containsEntry("key", "2");
            assertThat(reopened.get(new ObjectKey(ResourceKind.CONFIGMAP, "default", "b"))).isEmpty();
            assertThat(reopened.revision()).isGreaterThanOrEqualTo(Long.parseLong(a.getMetadata().getResourceVersion()));
        }
    }

    @Test
    void aStaleUpdateIsAConflictAndChangesNothing() {
        try (ObjectStore store = open()) {
            ConfigMap v1 = store.create(config("a", "1"));
            ConfigMap mine = store.<ConfigMap>get(ObjectKey.of(v1)).orElseThrow();
            ConfigMap theirs = store.<ConfigMap>get(ObjectKey.of(v1)).orElseThrow();
            theirs.getData().put("key", "theirs");
            store.update(theirs);
            mine.getData().put("key", "mine");
            assertThatThrownBy(() -> store.update(mine))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CONFLICT));
            assertThat(store.<ConfigMap>get(ObjectKey.of(v1)).orElseThrow().getData()).containsEntry("key", "theirs");
        }
    }

    @Test
    void generationGrowsOnlyWhenTheSpecChanges() {
        try (ObjectStore store = open()) {
            Deployment d = store.create(deployment(1));
            assertThat(d.getMetadata().getGeneration()).isEqualTo(1);
            Deployment labelled = store.mutate(ObjectKey.of(d), (Deployment x) -> {
                x.getMetadata().setLabels(Map.of("a", "b"));
                return x;
            });
            assertThat(labelled.getMetadata().getGeneration()).isEqualTo(1);
            Deployment scaled = store.mutate(ObjectKey.of(d), (Deployment x) -> {
                x.getSpec().setReplicas(3);
                return x;
            });
            assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2);
        }
    }

    @Test
    void generationGrowsOnceWhenDeletionBegins() {
        try (ObjectStore store = open()) {
            Deployment d = store.create(deployment(1));
            // upstream's BeforeDelete (graceful) and markAsDeleting (finalizers): the first deletionTimestamp bumps it
            Deployment deleting = store.mutate(ObjectKey.of(d), (Deployment x) -> {
                x.getMetadata().setDeletionTimestamp("2026-01-01T00:01:00Z");
                x.getMetadata().setDeletionGracePeriodSeconds(60L);
                return x;
            });
            assertThat(deleting.getMetadata().getGeneration()).isEqualTo(2);
            // a shorter grace later (BeforeDelete's "only shorten" branch) moves the timestamp, not the generation
            Deployment shortened = store.mutate(ObjectKey.of(d), (Deployment x) -> {
                x.getMetadata().setDeletionTimestamp("2026-01-01T00:00:10Z");
                x.getMetadata().setDeletionGracePeriodSeconds(10L);
                return x;
            });
            assertThat(shortened.getMetadata().getGeneration()).isEqualTo(2);
            // and a spec change while deleting still counts, once
            Deployment scaled = store.mutate(ObjectKey.of(d), (Deployment x) -> {
                x.getSpec().setReplicas(0);
                return x;
            });
            assertThat(scaled.getMetadata().getGeneration()).isEqualTo(3);
        }
    }

    @Test
    void anUnchangedMutationSpendsNoResourceVersion() {
        try (ObjectStore store = open()) {
            ConfigMap c = store.create(config("a", "1"));
            long before = store.revision();
            ConfigMap same = store.mutate(ObjectKey.of(c), (ConfigMap x) -> x);
            assertThat(store.revision()).isEqualTo(before);
            assertThat(same.getMetadata().getResourceVersion()).isEqualTo(c.getMetadata().getResourceVersion());
        }
    }

    @Test
    void concurrentChangesOfOneObjectLoseNoUpdate() throws Exception {
        try (ObjectStore store = open()) {
            ObjectKey key = ObjectKey.of(store.create(config("a", "0")));
            long before = store.revision();
            int threads = 4;
            int each = 200;
            var pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            store.mutate(key, (ConfigMap x) -> {
                                x.getData().put("key", Integer.toString(Integer.parseInt(x.getData().get("key")) + 1));
                                return x;
                            });
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            ConfigMap after = store.<ConfigMap>get(key).orElseThrow();
            assertThat(after.getData()).containsEntry("key", Integer.toString(threads * each));
            // one resourceVersion per change
            assertThat(Long.parseLong(after.getMetadata().getResourceVersion())).isEqualTo(before + threads * each);
        }
    }

    @Test
    void watchersSeeEveryChangeInOrder() {
        try (ObjectStore store = open()) {
            List<WatchEvent> seen = new CopyOnWriteArrayList<>();
            store.watch(k -> k.kind() == ResourceKind.CONFIGMAP, seen::add);
            ConfigMap c = store.create(config("a", "1"));
            c.getData().put("key", "2");
            store.update(c);
            store.delete(ObjectKey.of(c));
            await().untilAsserted(() -> assertThat(seen).extracting(WatchEvent::type)
                    .containsExactly(WatchEvent.Type.ADDED, WatchEvent.Type.MODIFIED, WatchEvent.Type.DELETED));
            assertThat(seen).extracting(WatchEvent::resourceVersion).isSorted();
        }
    }

    @Test
    void watchersGetTheObjectAsCommittedInACopyOfTheirOwn() {
        try (ObjectStore store = open()) {
            List<WatchEvent> seen = new CopyOnWriteArrayList<>();
            store.watch(k -> k.kind() == ResourceKind.CONFIGMAP, seen::add);
            ConfigMap created = store.create(config("a", "1"));
            created.getData().put("key", "changed by the caller after the create returned");
            ConfigMap updated = store.update(store.<ConfigMap>get(ObjectKey.of(created)).map(c -> {
                c.getData().put("key", "2");
                return c;
            }).orElseThrow());
            HasMetadata deleted = store.delete(ObjectKey.of(created)).orElseThrow();
            await().untilAsserted(() -> assertThat(seen).hasSize(3));
            // the caller's change to what create returned reached neither the store nor the watchers
            assertThat(((ConfigMap) seen.get(0).object()).getData()).containsEntry("key", "1");
            assertThat(seen.get(0).object()).isNotSameAs(created);
            assertThat(seen.get(1).object()).isEqualTo(updated).isNotSameAs(updated);
            // each event's JSON is its object, at its resourceVersion
            for (WatchEvent e : seen) {
                assertThat(JSON.unmarshal(e.json(), ConfigMap.class)).isEqualTo(e.object());
                assertThat(e.object().getMetadata().getResourceVersion()).isEqualTo(Long.toString(e.resourceVersion()));
            }
            // a deletion is reported at its own resourceVersion, newer than the object's last write
            assertThat(deleted.getMetadata().getResourceVersion()).isEqualTo(Long.toString(seen.get(2).resourceVersion()));
            assertThat(seen.get(2).resourceVersion()).isGreaterThan(Long.parseLong(updated.getMetadata().getResourceVersion()));
            assertThat(((ConfigMap) seen.get(2).object()).getData()).containsEntry("key", "2");
        }
    }

    @Test
    void aPodsGenerationGrowsWithItsSpecNotWithItsStatus() {
        try (ObjectStore store = open()) {
            Pod p = store.create(new PodBuilder().withNewMetadata().withName("p").endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("img:1").endContainer().endSpec().build());
            Pod running = store.mutate(ObjectKey.of(p), (Pod x) -> {
                x.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("127.0.0.1").build());
                return x;
            });
            assertThat(running.getMetadata().getGeneration()).isEqualTo(1);
            Pod bound = store.mutate(ObjectKey.of(p), (Pod x) -> {
                x.getSpec().setNodeName("node-1");
                return x;
            });
            assertThat(bound.getMetadata().getGeneration()).isEqualTo(2);
            Pod image = store.mutate(ObjectKey.of(p), (Pod x) -> {
                x.getSpec().getContainers().get(0).setImage("img:2");
                return x;
            });
            assertThat(image.getMetadata().getGeneration()).isEqualTo(3);
        }
    }

    @Test
    void listsFilterByNamespaceAndSelectorAndReturnCopies() {
        try (ObjectStore store = open()) {
            store.create(config("a", "1"));
            ConfigMap other = config("b", "1");
            other.getMetadata().setNamespace("prod");
            other.getMetadata().setLabels(Map.of("app", "api"));
            store.create(other);
            assertThat(store.<ConfigMap>list(ResourceKind.CONFIGMAP, null, null)).hasSize(2);
            assertThat(store.<ConfigMap>list(ResourceKind.CONFIGMAP, "prod", null)).extracting(c -> c.getMetadata().getName()).containsExactly("b");
            assertThat(store.<ConfigMap>list(ResourceKind.CONFIGMAP, null, Labels.parse("app=web"))).extracting(c -> c.getMetadata().getName()).containsExactly("a");
            store.<ConfigMap>list(ResourceKind.CONFIGMAP, null, null).get(0).getData().put("key", "tampered");
            assertThat(store.<ConfigMap>get(new ObjectKey(ResourceKind.CONFIGMAP, "default", "a")).orElseThrow().getData()).containsEntry("key", "1");
        }
    }

    @Test
    void eventsAreBoundedAndRepeatsAreCounted() {
        try (ObjectStore store = open()) {
            EventRecorder recorder = new EventRecorder(store, Clock.systemUTC());
            ConfigMap c = store.create(config("a", "1"));
            recorder.warning(c, "test", "Failed", "same message");
            recorder.warning(c, "test", "Failed", "same message");
            List<Event> events = store.list(ResourceKind.EVENT, "default", null);
            assertThat(events).hasSize(1);
            assertThat(events.get(0).getCount()).isEqualTo(2);
            for (int i = 0; i < 10; i++) {
                recorder.normal(c, "test", "Tick", "message " + i);
            }
            assertThat(store.<Event>list(ResourceKind.EVENT, "default", null)).hasSize(5);
        }
    }
}
