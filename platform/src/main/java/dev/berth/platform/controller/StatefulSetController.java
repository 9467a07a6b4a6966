package dev.berth.platform.controller;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs {@link StatefulSetPlanner}'s step. Pods carry the {@code statefulset.kubernetes.io/pod-name} label,
 * like Kubernetes; the kubelet gives each ordinal's volume claims a directory that outlives the pod.
 */
public final class StatefulSetController implements Reconciler {

    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";

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
        StatefulSetPlanner.Plan plan = StatefulSetPlanner.plan(set, owned);
        boolean changed = false;
        if (plan.step() instanceof StatefulSetPlanner.Step.Create c) {
            String name = StatefulSetPlanner.podName(set, c.ordinal());
            store.create(PodTemplates.newPod(set.getSpec().getTemplate(), set, name, Map.of(POD_NAME_LABEL, name), json));
            events.normal(set, "statefulset-controller", "SuccessfulCreate", "create Pod " + name + " in StatefulSet " + key.name() + " successful");
            changed = true;
        } else if (plan.step() instanceof StatefulSetPlanner.Step.Delete d) {
            termination.terminate(d.pod(), "statefulset-controller");
            events.normal(set, "statefulset-controller", "SuccessfulDelete",
                    "delete Pod " + d.pod().getMetadata().getName() + " in StatefulSet " + key.name() + " successful");
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
}
