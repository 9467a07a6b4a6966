package dev.berth.platform.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs {@link StatefulSetPlanner}'s step. As upstream's StatefulSet controller: the set's template is recorded as a
 * ControllerRevision ({@link StatefulSetRevisions}); pods carry {@code statefulset.kubernetes.io/pod-name},
 * {@code apps.kubernetes.io/pod-index} and {@code controller-revision-hash}; before an ordinal's pod is created,
 * each volume claim template gets its PersistentVolumeClaim {@code <template>-<set>-<ordinal>} (no owner reference:
 * the default retention policy is Retain for both deletion and scale-down), and the pod's volume of that name is the
 * claim. Deleting a pod keeps its claims. Idempotent; one loop calls it at a time per key.
 */
public final class StatefulSetController implements Reconciler {

    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    public static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    /** {@code spec.revisionHistoryLimit}'s default. */
    static final int DEFAULT_HISTORY_LIMIT = 10;

    private final ObjectStore store;
    private final PodTermination termination;
    private final EventRecorder events;
    private final KubernetesSerialization json;

    public StatefulSetController(ObjectStore store, PodTermination termination, EventRecorder events, KubernetesSerialization json) {
        this.store = store;
        this.termination = termination;
        this.events = events;
        this.json = json;
    }

    @Override
    public ReconcileResult reconcile(ObjectKey key) {
        Optional<StatefulSet> found = store.get(key);
        if (found.isEmpty() || found.get().getMetadata().getDeletionTimestamp() != null) {
            return ReconcileResult.noChange(); // being deleted: no pod is made anew
        }
        StatefulSet set = found.get();
        List<Pod> owned = store.<Pod>list(ResourceKind.POD, key.namespace(), null).stream().filter(p -> Owners.isOwnedBy(p, set)).toList();
        List<ControllerRevision> revisions = revisions(set);
        boolean changed = false;
        ControllerRevision update = StatefulSetRevisions.equal(revisions, StatefulSetRevisions.patch(set, json), json).orElse(null);
        long next = StatefulSetRevisions.nextRevision(revisions);
        if (update == null) {
            update = createRevision(set, next);
            changed = true;
        } else if (update.getRevision() < next - 1) { // an older template again (an undo): it becomes the newest revision
            long renumbered = next;
            update = store.<ControllerRevision>mutate(ObjectKey.of(update), r -> {
                r.setRevision(renumbered);
                return r;
            });
            changed = true;
        }
        String updateName = update.getMetadata().getName();
        String statusCurrent = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
        String current = statusCurrent != null && store.get(new ObjectKey(ResourceKind.CONTROLLER_REVISION, key.namespace(), statusCurrent)).isPresent()
                ? statusCurrent : updateName;
        StatefulSetPlanner.Plan plan = StatefulSetPlanner.plan(set, owned, current, updateName);
        if (plan.step() instanceof StatefulSetPlanner.Step.Create c) {
            String name = StatefulSetPlanner.podName(set, c.ordinal());
            ensureClaims(set, c.ordinal());
            store.create(newPod(set, c.ordinal(), c.revision().equals(updateName) ? update : revision(key.namespace(), c.revision())));
            events.normal(set, "statefulset-controller", "SuccessfulCreate", "create Pod " + name + " in StatefulSet " + key.name() + " successful");
            changed = true;
        } else if (plan.step() instanceof StatefulSetPlanner.Step.Delete d) {
            termination.terminate(d.pod(), "statefulset-controller");
            events.normal(set, "statefulset-controller", "SuccessfulDelete",
                    "delete Pod " + d.pod().getMetadata().getName() + " in StatefulSet " + key.name() + " successful");
            changed = true;
        }
        int limit = set.getSpec().getRevisionHistoryLimit() == null ? DEFAULT_HISTORY_LIMIT : set.getSpec().getRevisionHistoryLimit();
        for (ControllerRevision old : StatefulSetRevisions.toTruncate(revisions(set), owned, plan.status().getCurrentRevision(), updateName, limit)) {
            store.delete(ObjectKey.of(old));
            changed = true;
        }
        if (!Objects.equals(set.getStatus(), plan.status())) {
            store.<StatefulSet>mutate(key, s -> {
                s.setStatus(plan.status());
                return s;
            });
            changed = true;
        }
        return changed ? ReconcileResult.changedState() : ReconcileResult.noChange();
    }

    /** The set's revisions: those in its namespace it controls (upstream also adopts orphans its selector matches). */
    private List<ControllerRevision> revisions(StatefulSet set) {
        return store.<ControllerRevision>list(ResourceKind.CONTROLLER_REVISION, set.getMetadata().getNamespace(), null).stream()
                .filter(r -> Owners.isOwnedBy(r, set)).toList();
    }

    private ControllerRevision revision(String namespace, String name) {
        return store.<ControllerRevision>get(new ObjectKey(ResourceKind.CONTROLLER_REVISION, namespace, name))
                .orElseThrow(() -> new IllegalStateException("revision " + namespace + "/" + name + " vanished"));
    }

    /** {@code CreateControllerRevision}: a name taken by other data (a hash collision) is retried with the next count. */
    private ControllerRevision createRevision(StatefulSet set, long number) {
        for (int collisions = 0; ; collisions++) {
            ControllerRevision revision = StatefulSetRevisions.newRevision(set, number, collisions, json);
            Optional<ControllerRevision> taken = store.get(ObjectKey.of(revision));
            if (taken.isEmpty()) {
                return store.create(revision);
            }
            if (Objects.equals(json.convertValue(taken.get().getData(), ObjectNode.class), json.convertValue(revision.getData(), ObjectNode.class))) {
                return taken.get(); // ours from before, owned by a set of the same name that is gone
            }
        }
    }

    /** Each claim template's claim for the ordinal, created if missing (an existing one, bound or not, is kept). */
    private void ensureClaims(StatefulSet set, int ordinal) {
        for (PersistentVolumeClaim template : claimTemplates(set)) {
            String name = claimName(set, template, ordinal);
            ObjectKey key = new ObjectKey(ResourceKind.PERSISTENT_VOLUME_CLAIM, set.getMetadata().getNamespace(), name);
            if (store.get(key).isPresent()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (template.getMetadata().getLabels() != null) {
                labels.putAll(template.getMetadata().getLabels());
            }
            if (set.getSpec().getSelector() != null && set.getSpec().getSelector().getMatchLabels() != null) {
                labels.putAll(set.getSpec().getSelector().getMatchLabels());
            }
            store.create(new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName(name).withNamespace(set.getMetadata().getNamespace()).withLabels(labels)
                    .withAnnotations(template.getMetadata().getAnnotations()).endMetadata()
                    .withSpec(json.clone(template.getSpec()))
                    .build());
            events.normal(set, "statefulset-controller", "SuccessfulCreate",
                    "create Claim " + name + " Pod " + StatefulSetPlanner.podName(set, ordinal) + " in StatefulSet " + set.getMetadata().getName() + " success");
        }
    }

    /** {@code getPersistentVolumeClaimName}: {@code <template>-<set>-<ordinal>}. */
    public static String claimName(StatefulSet set, PersistentVolumeClaim template, int ordinal) {
        return template.getMetadata().getName() + "-" + set.getMetadata().getName() + "-" + ordinal;
    }

    private static List<PersistentVolumeClaim> claimTemplates(StatefulSet set) {
        return set.getSpec().getVolumeClaimTemplates() == null ? List.of() : set.getSpec().getVolumeClaimTemplates();
    }

    /** {@code newVersionedStatefulSetPod}: the revision's template, identity labels, the claims as volumes. */
    Pod newPod(StatefulSet set, int ordinal, ControllerRevision revision) {
        String name = StatefulSetPlanner.podName(set, ordinal);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(POD_NAME_LABEL, name);
        labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
        labels.put(StatefulSetRevisions.POD_REVISION_LABEL, revision.getMetadata().getName());
        Pod pod = PodTemplates.newPod(template(revision), set, name, labels, json);
        List<Volume> volumes = new ArrayList<>(pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes());
        for (PersistentVolumeClaim template : claimTemplates(set)) { // updateStorage: the claim replaces a volume of that name
            volumes.removeIf(v -> v.getName().equals(template.getMetadata().getName()));
            volumes.add(new VolumeBuilder().withName(template.getMetadata().getName())
                    .withNewPersistentVolumeClaim().withClaimName(claimName(set, template, ordinal)).endPersistentVolumeClaim().build());
        }
        pod.getSpec().setVolumes(volumes);
        pod.getSpec().setHostname(name);
        if (set.getSpec().getServiceName() != null && !set.getSpec().getServiceName().isEmpty()) {
            pod.getSpec().setSubdomain(set.getSpec().getServiceName());
        }
        return pod;
    }

    /** The pod template a revision restores: its data's {@code spec.template} without the {@code $patch} directive. */
    PodTemplateSpec template(ControllerRevision revision) {
        ObjectNode data = json.convertValue(revision.getData(), ObjectNode.class);
        ObjectNode template = (ObjectNode) data.path("spec").path("template");
        template.remove("$patch");
        return json.convertValue(template, PodTemplateSpec.class);
    }
}
