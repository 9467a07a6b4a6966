package dev.berth.platform.controller;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Runs {@link DeploymentPlanner}'s actions: ReplicaSets per pod-template revision, scaled, pruned. */
public final class DeploymentController implements Reconciler {

    private final ObjectStore store;
    private final EventRecorder events;
    private final KubernetesSerialization json;

    public DeploymentController(ObjectStore store, EventRecorder events, KubernetesSerialization json) {
        this.store = store;
        this.events = events;
        this.json = json;
    }

    @Override
    public ReconcileResult reconcile(ObjectKey key) {
        Optional<Deployment> found = store.get(key);
        if (found.isEmpty()) {
            return ReconcileResult.noChange();
        }
        Deployment d = found.get();
        List<ReplicaSet> owned = store.<ReplicaSet>list(ResourceKind.REPLICASET, key.namespace(), null).stream()
                .filter(rs -> Owners.isOwnedBy(rs, d)).toList();
        String hash = PodTemplates.hash(d.getSpec().getTemplate(), json);
        DeploymentPlanner.Plan plan = DeploymentPlanner.plan(d, owned, hash);
        for (DeploymentPlanner.Action action : plan.actions()) {
            apply(d, action);
        }
        boolean statusChanged = !Objects.equals(d.getStatus(), plan.status());
        if (statusChanged) {
            store.<Deployment>mutate(key, x -> {
                x.setStatus(plan.status());
                return x;
            });
        }
        return plan.actions().isEmpty() && !statusChanged ? ReconcileResult.noChange() : ReconcileResult.changedState();
    }

    private void apply(Deployment d, DeploymentPlanner.Action action) {
        String ns = d.getMetadata().getNamespace();
        if (action instanceof DeploymentPlanner.Action.CreateReplicaSet c) {
            ReplicaSet rs = newReplicaSet(d, c);
            store.create(rs);
            events.normal(d, "deployment-controller", "ScalingReplicaSet",
                    "Scaled up replica set " + rs.getMetadata().getName() + " to " + c.replicas());
        } else if (action instanceof DeploymentPlanner.Action.Scale s) {
            ReplicaSet before = store.<ReplicaSet>get(new ObjectKey(ResourceKind.REPLICASET, ns, s.replicaSet())).orElseThrow();
            store.<ReplicaSet>mutate(new ObjectKey(ResourceKind.REPLICASET, ns, s.replicaSet()), rs -> {
                rs.getSpec().setReplicas(s.replicas());
                return rs;
            });
            String direction = s.replicas() > DeploymentPlanner.replicas(before) ? "up" : "down";
            events.normal(d, "deployment-controller", "ScalingReplicaSet",
                    "Scaled " + direction + " replica set " + s.replicaSet() + " to " + s.replicas());
        } else if (action instanceof DeploymentPlanner.Action.DeleteReplicaSet del) {
            store.delete(new ObjectKey(ResourceKind.REPLICASET, ns, del.replicaSet()));
        }
    }

    private ReplicaSet newReplicaSet(Deployment d, DeploymentPlanner.Action.CreateReplicaSet c) {
        PodTemplateSpec template = json.clone(d.getSpec().getTemplate());
        Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels());
        labels.put(PodTemplates.TEMPLATE_HASH_LABEL, c.hash());
        template.getMetadata().setLabels(labels);
        LabelSelector selector = json.clone(d.getSpec().getSelector());
        Map<String, String> match = new LinkedHashMap<>(selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels());
        match.put(PodTemplates.TEMPLATE_HASH_LABEL, c.hash());
        selector.setMatchLabels(match);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(DeploymentPlanner.REVISION_ANNOTATION, Long.toString(c.revision()));
        annotations.put(DeploymentPlanner.BERTH_REVISION_ANNOTATION, Long.toString(c.revision()));
        String cause = d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get("kubernetes.io/change-cause");
        if (cause != null) {
            annotations.put("kubernetes.io/change-cause", cause);
        }
        return new ReplicaSetBuilder()
                .withNewMetadata()
                    .withName(d.getMetadata().getName() + "-" + c.hash())
                    .withNamespace(d.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(annotations)
                    .withOwnerReferences(Owners.controllerRef(d))
                .endMetadata()
                .withNewSpec()
                    .withReplicas(c.replicas())
                    .withMinReadySeconds(d.getSpec().getMinReadySeconds())
                    .withSelector(selector)
                    .withTemplate(template)
                .endSpec()
                .build();
    }
}
