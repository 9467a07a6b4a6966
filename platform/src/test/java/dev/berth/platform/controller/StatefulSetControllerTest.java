package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The StatefulSet controller on a real store: the claims, pods and revisions it writes. */
class StatefulSetControllerTest {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    @TempDir
    Path dir;
    ObjectStore store;
    StatefulSetController controller;

    @BeforeEach
    void setUp() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);
        store = new ObjectStore(dir, JSON, clock, 100);
        controller = new StatefulSetController(store, (pod, by) -> store.delete(ObjectKey.of(pod)), new EventRecorder(store, clock), JSON);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void eachOrdinalGetsItsClaimBeforeItsPodAndThePodMountsIt() {
        StatefulSet set = store.create(withClaim(StatefulSetRevisionsTest.set("db", "one")));
        controller.reconcile(ObjectKey.of(set));
        PersistentVolumeClaim claim = store.<PersistentVolumeClaim>get(new ObjectKey(ResourceKind.PERSISTENT_VOLUME_CLAIM, "default", "data-db-0"))
                .orElseThrow();
        assertThat(claim.getMetadata().getOwnerReferences()).isNullOrEmpty(); // Retain
        assertThat(claim.getMetadata().getLabels()).containsEntry("app", "db").containsEntry("tier", "storage");
        assertThat(claim.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("1Gi"));
        Pod pod = store.<Pod>get(new ObjectKey(ResourceKind.POD, "default", "db-0")).orElseThrow();
        assertThat(pod.getSpec().getVolumes()).singleElement().satisfies(v -> {
            assertThat(v.getName()).isEqualTo("data");
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("data-db-0");
        });
        assertThat(pod.getSpec().getHostname()).isEqualTo("db-0");
        ControllerRevision revision = revisions().get(0);
        assertThat(pod.getMetadata().getLabels()).containsEntry(StatefulSetRevisions.POD_REVISION_LABEL, revision.getMetadata().getName())
                .containsEntry(StatefulSetController.POD_INDEX_LABEL, "0");
        StatefulSet status = store.<StatefulSet>get(ObjectKey.of(set)).orElseThrow();
        assertThat(status.getStatus().getUpdateRevision()).isEqualTo(revision.getMetadata().getName());
        assertThat(status.getStatus().getCurrentRevision()).isEqualTo(revision.getMetadata().getName());

        // the pod goes; its claim stays and the new pod mounts the same one
        store.delete(ObjectKey.of(pod));
        controller.reconcile(ObjectKey.of(set));
        assertThat(store.list(ResourceKind.PERSISTENT_VOLUME_CLAIM, "default", null)).hasSize(1);
        assertThat(store.<PersistentVolumeClaim>get(ObjectKey.of(claim)).orElseThrow().getMetadata().getUid()).isEqualTo(claim.getMetadata().getUid());
    }

    @Test
    void aTemplateSeenBeforeIsRenumberedNotRecorded() {
        StatefulSet set = store.create(StatefulSetRevisionsTest.set("db", "one"));
        ObjectKey key = ObjectKey.of(set);
        controller.reconcile(key);
        template(key, "two");
        controller.reconcile(key);
        assertThat(revisions()).extracting(ControllerRevision::getRevision).containsExactly(1L, 2L);
        String first = revisions().get(0).getMetadata().getName();
        template(key, "one"); // what kubectl rollout undo does
        controller.reconcile(key);
        assertThat(revisions()).extracting(ControllerRevision::getRevision).containsExactly(2L, 3L);
        assertThat(revisions().get(1).getMetadata().getName()).isEqualTo(first);
        assertThat(store.<StatefulSet>get(key).orElseThrow().getStatus().getUpdateRevision()).isEqualTo(first);
        assertThat(controller.reconcile(key).changed()).isFalse(); // converged: nothing more to write
    }

    private void template(ObjectKey key, String mode) {
        store.<StatefulSet>mutate(key, s -> {
            s.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().get(0).setValue(mode);
            return s;
        });
    }

    private List<ControllerRevision> revisions() {
        return store.<ControllerRevision>list(ResourceKind.CONTROLLER_REVISION, "default", null).stream()
                .sorted(Comparator.comparingLong(ControllerRevision::getRevision)).toList();
    }

    private static StatefulSet withClaim(StatefulSet set) {
        set.getSpec().setVolumeClaimTemplates(List.of(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data")
                .addToLabels("tier", "storage").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()));
        return set;
    }
}
