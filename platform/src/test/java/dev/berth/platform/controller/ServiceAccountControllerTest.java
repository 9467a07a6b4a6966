package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serviceaccounts controller and the local-path claim binder on a real store (upstream's
 * {@code serviceaccounts_controller_test.go} cases: a new namespace gets {@code default}, an existing one is left alone,
 * a terminating namespace gets none).
 */
class ServiceAccountControllerTest {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    @TempDir
    Path dir;
    ObjectStore store;

    @BeforeEach
    void setUp() {
        store = new ObjectStore(dir, JSON, Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC), 100);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void aNewNamespaceGetsItsDefaultServiceAccountOnce() {
        ServiceAccountController controller = new ServiceAccountController(store);
        store.create(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build());
        assertThat(controller.reconcile(ServiceAccountController.namespaceKey("shop")).changed()).isTrue();
        ServiceAccount sa = store.<ServiceAccount>get(new ObjectKey(ResourceKind.SERVICE_ACCOUNT, "shop", "default")).orElseThrow();
        assertThat(sa.getSecrets()).isNullOrEmpty(); // no token controller
        assertThat(controller.reconcile(ServiceAccountController.namespaceKey("shop")).changed()).isFalse();
    }

    @Test
    void theDefaultNamespaceNeedsNoNamespaceObject() {
        ServiceAccountController controller = new ServiceAccountController(store);
        assertThat(controller.reconcile(ServiceAccountController.namespaceKey("default")).changed()).isTrue();
        assertThat(store.get(new ObjectKey(ResourceKind.SERVICE_ACCOUNT, "default", "default"))).isPresent();
    }

    @Test
    void aMissingOrTerminatingNamespaceGetsNone() {
        ServiceAccountController controller = new ServiceAccountController(store);
        assertThat(controller.reconcile(ServiceAccountController.namespaceKey("gone")).changed()).isFalse();
        store.create(new NamespaceBuilder().withNewMetadata().withName("closing").withDeletionTimestamp("2026-12-03T11:00:00Z").endMetadata().build());
        assertThat(controller.reconcile(ServiceAccountController.namespaceKey("closing")).changed()).isFalse();
        assertThat(store.list(ResourceKind.SERVICE_ACCOUNT, null, null)).isEmpty();
    }

    @Test
    void aClaimIsBoundToItsLocalVolumeWithTheRequestAsCapacity() {
        PersistentVolumeClaimBinder binder = new PersistentVolumeClaimBinder(store);
        PersistentVolumeClaim created = store.create(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").withNamespace("shop")
                .endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("2Gi"))
                .endResources().endSpec().build());
        ObjectKey key = ObjectKey.of(created);
        assertThat(binder.reconcile(key).changed()).isTrue();
        PersistentVolumeClaim bound = store.<PersistentVolumeClaim>get(key).orElseThrow();
        assertThat(bound.getSpec().getVolumeName()).isEqualTo("pvc-" + created.getMetadata().getUid());
        assertThat(bound.getSpec().getVolumeMode()).isEqualTo("Filesystem");
        assertThat(bound.getStatus().getPhase()).isEqualTo("Bound");
        assertThat(bound.getStatus().getCapacity()).containsEntry("storage", new Quantity("2Gi"));
        assertThat(bound.getStatus().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(bound.getMetadata().getAnnotations()).containsEntry(PersistentVolumeClaimBinder.BIND_COMPLETED_ANNOTATION, "yes");
        assertThat(binder.reconcile(key).changed()).isFalse(); // bound stays bound, untouched
    }
}
