package dev.berth.platform.controller;

import dev.berth.platform.model.ObjectKey;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import dev.berth.platform.store.ObjectStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A local-path provisioner and binder in one: every claim is bound at once to a volume of its own, a directory
 * {@code <stateDir>/volumes/<namespace>/<claim>} that the kubelet creates when a pod first mounts the claim (see
 * {@code PodDirectories.claim}). As rancher's local-path-provisioner names them, the volume is {@code pvc-<claim uid>};
 * no PersistentVolume object is served. The claim gets phase {@code Bound}, the requested storage as capacity (a local
 * directory has no quota) and its access modes. Deleting a claim removes the object only: the directory stays (as a
 * volume with reclaim policy Retain), so a running replica keeps its files and a claim re-created with the same name
 * finds them. Idempotent; thread-safe.
 */
public final class PersistentVolumeClaimBinder implements Reconciler {

    /** What {@code kubectl describe pvc} shows as the provisioner. */
    public static final String PROVISIONER_ANNOTATION = "volume.kubernetes.io/storage-provisioner";
    public static final String PROVISIONER = "berth.dev/local-path";
    /** What upstream's PV controller sets on a claim it bound (pkg/controller/volume/persistentvolume). */
    public static final String BIND_COMPLETED_ANNOTATION = "pv.kubernetes.io/bind-completed";

    private final ObjectStore store;

    public PersistentVolumeClaimBinder(ObjectStore store) {
        this.store = store;
    }

    @Override
    public ReconcileResult reconcile(ObjectKey key) {
        Optional<PersistentVolumeClaim> found = store.get(key);
        if (found.isEmpty() || isBound(found.get()) || found.get().getMetadata().getDeletionTimestamp() != null) {
            return ReconcileResult.noChange();
        }
        store.<PersistentVolumeClaim>mutate(key, PersistentVolumeClaimBinder::bind);
        return ReconcileResult.changedState();
    }

    static boolean isBound(PersistentVolumeClaim claim) {
        return claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase()) && claim.getSpec() != null
                && claim.getSpec().getVolumeName() != null && !claim.getSpec().getVolumeName().isEmpty();
    }

    /** The claim bound to its local volume. Pure. */
    static PersistentVolumeClaim bind(PersistentVolumeClaim claim) {
        if (claim.getSpec() == null) {
            claim.setSpec(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec());
        }
        var spec = claim.getSpec();
        if (spec.getVolumeName() == null || spec.getVolumeName().isEmpty()) {
            spec.setVolumeName("pvc-" + claim.getMetadata().getUid());
        }
        if (spec.getVolumeMode() == null) {
            spec.setVolumeMode("Filesystem"); // the v1 default
        }
        Map<String, String> annotations = new LinkedHashMap<>(claim.getMetadata().getAnnotations() == null ? Map.of() : claim.getMetadata().getAnnotations());
        annotations.put(BIND_COMPLETED_ANNOTATION, "yes");
        annotations.putIfAbsent(PROVISIONER_ANNOTATION, PROVISIONER);
        claim.getMetadata().setAnnotations(annotations);
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        Quantity requested = spec.getResources() == null || spec.getResources().getRequests() == null ? null
                : spec.getResources().getRequests().get("storage");
        if (requested != null) {
            capacity.put("storage", requested);
        }
        List<String> modes = spec.getAccessModes() == null ? List.of() : new ArrayList<>(spec.getAccessModes());
        claim.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound").withCapacity(capacity).withAccessModes(modes).build());
        return claim;
    }
}
