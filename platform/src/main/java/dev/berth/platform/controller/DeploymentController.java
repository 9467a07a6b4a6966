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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs {@link DeploymentPlanner}'s actions: ReplicaSets per pod-template revision, scaled step by step, renumbered
 * on undo, pruned, and the automatic rollback (the last good revision's template back into the Deployment, with a
 * Warning event saying why). While a rollout is under way the key is looked at again every
 * {@link #ROLLOUT_RECHECK}, since deadlines and unready-for-too-long are matters of time, not of changes.
 */
public final class DeploymentController implements Reconciler {

    private final ObjectStore store;
    private final EventRecorder events;
    private final KubernetesSerialization json;
    private final Clock clock;
    private final CanaryAnalysis analysis;
    private final RolloutMetrics metrics;

    static final Duration ROLLOUT_RECHECK = Duration.ofSeconds(1);
    /** Left on the Deployment by an automatic rollback, naming the ReplicaSet it rolled back to, until that one is renumbered. */
    static final String AUTOMATIC_ROLLBACK_ANNOTATION = "berth.dev/automatic-rollback-to";
    /** {@code berth_rollbacks_total}'s reason for a rollback by hand: {@code manual}. */
    static final String MANUAL = "Manual";
    static final Duration ANALYSIS_RETRY = Duration.ofSeconds(5);

    /** Per Deployment: no new canary analysis before this instant, after an inconclusive one. */
    private final java.util.Map<ObjectKey, Instant> inconclusiveUntil = new java.util.concurrent.ConcurrentHashMap<>();

    public DeploymentController(ObjectStore store, EventRecorder events, KubernetesSerialization json, Clock clock, CanaryAnalysis analysis,
                                RolloutMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.analysis = analysis;
    }

    @Override
    public ReconcileResult reconcile(ObjectKey key) {
        Optional<Deployment> found = store.get(key);
        if (found.isEmpty() || found.get().getMetadata().getDeletionTimestamp() != null) {
            return ReconcileResult.noChange(); // being deleted: its ReplicaSets are the garbage collector's, none is made anew
        }
        Deployment d = found.get();
        List<ReplicaSet> owned = store.<ReplicaSet>list(ResourceKind.REPLICASET, key.namespace(), null).stream()
                .filter(rs -> Owners.isOwnedBy(rs, d)).toList();
        String hash = PodTemplates.hash(d.getSpec().getTemplate(), json);
        Instant now = clock.instant();
        Optional<ReplicaSet> newRs = PodTemplates.findNewReplicaSet(d, owned, json);
        Optional<RevisionSignals.Failure> failure = newRs
                .map(rs -> RevisionSignals.failure(ReplicaSetController.ownedPods(store, rs), RevisionSignals.Thresholds.of(d), now))
                .orElse(Optional.empty());
        Optional<Canary.Verdict> verdict = Optional.empty();
        Optional<Canary.Settings> canary = Canary.settings(d);
        Instant heldUntil = inconclusiveUntil.get(key);
        if (canary.isPresent() && newRs.isPresent() && Canary.analysisDue(canary.get(), newRs.get(), now)
                && (heldUntil == null || !now.isBefore(heldUntil))) {
            verdict = Optional.of(analysis.analyse(d, newRs.get(), canary.get(), Canary.state(newRs.get()).since(), now));
            if (verdict.get().outcome() == Canary.Verdict.Outcome.INCONCLUSIVE) {
                // not enough to judge yet: ask again after a while, not on every pass
                inconclusiveUntil.put(key, now.plus(ANALYSIS_RETRY));
                events.normal(d, "deployment-controller", "AnalysisInconclusive", verdict.get().detail());
            } else {
                inconclusiveUntil.remove(key);
            }
        }
        DeploymentPlanner.Plan plan = DeploymentPlanner.plan(d, owned, new DeploymentPlanner.NewReplicaSet(hash, newRs), failure, verdict, now);
        boolean rolledBack = false;
        for (DeploymentPlanner.Action action : plan.actions()) {
            if (action instanceof DeploymentPlanner.Action.RollBack r) {
                rollBack(d, r, owned, plan);
                rolledBack = true;
            } else {
                apply(d, action);
            }
        }
        boolean statusChanged = !rolledBack && !Objects.equals(d.getStatus(), plan.status());
        String revision = rolledBack ? null : currentRevision(plan, newRs);
        boolean revisionChanged = revision != null && !revision.equals(annotation(d, DeploymentPlanner.REVISION_ANNOTATION));
        if (statusChanged || revisionChanged) {
            store.<Deployment>mutate(key, x -> {
                if (statusChanged) {
                    x.setStatus(plan.status());
                }
                if (revisionChanged) {
                    Map<String, String> a = new LinkedHashMap<>(x.getMetadata().getAnnotations() == null ? Map.of() : x.getMetadata().getAnnotations());
                    a.put(DeploymentPlanner.REVISION_ANNOTATION, revision);
                    x.getMetadata().setAnnotations(a);
                }
                return x;
            });
        }
        ReconcileResult result = plan.actions().isEmpty() && !statusChanged && !revisionChanged ? ReconcileResult.noChange() : ReconcileResult.changedState();
        return plan.rolling() ? result.andRequeueAfter(ROLLOUT_RECHECK) : result;
    }

    /**
     * The revision the Deployment carries in {@code deployment.kubernetes.io/revision}, as upstream's
     * {@code SetDeploymentRevision}: its new ReplicaSet's, once this pass created or renumbered it; null while it has none.
     */
    private static String currentRevision(DeploymentPlanner.Plan plan, Optional<ReplicaSet> newRs) {
        for (DeploymentPlanner.Action action : plan.actions()) {
            if (action instanceof DeploymentPlanner.Action.CreateReplicaSet c) {
                return Long.toString(c.revision());
            }
            if (action instanceof DeploymentPlanner.Action.Renumber n && newRs.isPresent() && n.replicaSet().equals(newRs.get().getMetadata().getName())) {
                return Long.toString(n.revision());
            }
        }
        return newRs.map(DeploymentPlanner::revision).filter(r -> r > 0).map(String::valueOf).orElse(null);
    }

    private static String annotation(Deployment d, String name) {
        Map<String, String> a = d.getMetadata().getAnnotations();
        return a == null ? null : a.get(name);
    }

    /** The good revision's template (without its pod-template-hash) and change-cause back into the Deployment, with the Degraded status. */
    private void rollBack(Deployment d, DeploymentPlanner.Action.RollBack r, List<ReplicaSet> owned, DeploymentPlanner.Plan plan) {
        ReplicaSet target = owned.stream().filter(rs -> rs.getMetadata().getName().equals(r.toReplicaSet())).findFirst().orElseThrow();
        PodTemplateSpec template = RolloutHistory.templateOf(target, json);
        store.<Deployment>mutate(ObjectKey.of(d), x -> {
            x.getSpec().setTemplate(template);
            RolloutHistory.copyChangeCause(target, x);
            Map<String, String> a = new LinkedHashMap<>(x.getMetadata().getAnnotations() == null ? Map.of() : x.getMetadata().getAnnotations());
            a.put(AUTOMATIC_ROLLBACK_ANNOTATION, target.getMetadata().getName()); // so the renumbering that follows is not counted as manual
            x.getMetadata().setAnnotations(a);
            x.setStatus(plan.status());
            return x;
        });
        metrics.rolledBack(d, r.why().reason());
        events.warning(d, "deployment-controller", "RolledBack", "Rolled back from revision " + r.fromRevision() + " to revision "
                + r.toRevision() + ": " + r.why().reason() + ": " + r.why().message());
    }

    /**
     * An old ReplicaSet became the new one again: after Berth's own rollback (which counted itself) the marker it left
     * is cleared; otherwise the template was changed back by hand ({@code kubectl rollout undo}, an apply of an older
     * manifest): counted as {@code reason="manual"}, with upstream's {@code DeploymentRollback} event naming the
     * revision the ReplicaSet had.
     */
    private void rolledBackTo(Deployment d, DeploymentPlanner.Action.Renumber n, long previousRevision) {
        if (n.replicaSet().equals(annotation(d, AUTOMATIC_ROLLBACK_ANNOTATION))) {
            store.<Deployment>mutate(ObjectKey.of(d), x -> {
                Map<String, String> a = new LinkedHashMap<>(x.getMetadata().getAnnotations());
                a.remove(AUTOMATIC_ROLLBACK_ANNOTATION);
                x.getMetadata().setAnnotations(a);
                return x;
            });
            return;
        }
        metrics.rolledBack(d, MANUAL);
        events.normal(d, "deployment-controller", "DeploymentRollback",
                "Rolled back deployment " + d.getMetadata().getName() + " to revision " + previousRevision);
    }

    private void apply(Deployment d, DeploymentPlanner.Action action) {
        String ns = d.getMetadata().getNamespace();
        if (action instanceof DeploymentPlanner.Action.CreateReplicaSet c) {
            ReplicaSet rs = newReplicaSet(d, c);
            store.create(rs);
            metrics.rolloutStarted(d);
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
        } else if (action instanceof DeploymentPlanner.Action.Renumber n) {
            long previous = store.<ReplicaSet>get(new ObjectKey(ResourceKind.REPLICASET, ns, n.replicaSet())).map(DeploymentPlanner::revision).orElse(0L);
            store.<ReplicaSet>mutate(new ObjectKey(ResourceKind.REPLICASET, ns, n.replicaSet()), rs -> {
                Map<String, String> a = new LinkedHashMap<>(rs.getMetadata().getAnnotations());
                String was = a.get(DeploymentPlanner.REVISION_ANNOTATION);
                String history = a.get(DeploymentPlanner.REVISION_HISTORY_ANNOTATION);
                if (was != null) { // as upstream, only a revision it had goes into the history
                    a.put(DeploymentPlanner.REVISION_HISTORY_ANNOTATION, RolloutHistory.revisionHistory(history, was, RolloutHistory.MAX_REVISION_HISTORY_CHARS));
                }
                a.put(DeploymentPlanner.REVISION_ANNOTATION, Long.toString(n.revision()));
                a.put(DeploymentPlanner.BERTH_REVISION_ANNOTATION, Long.toString(n.revision()));
                rs.getMetadata().setAnnotations(a);
                return rs;
            });
            metrics.rolloutStarted(d); // an earlier revision is current again (undo or automatic rollback)
            rolledBackTo(d, n, previous);
        } else if (action instanceof DeploymentPlanner.Action.SetCanary c) {
            store.<ReplicaSet>mutate(new ObjectKey(ResourceKind.REPLICASET, ns, c.replicaSet()), rs -> {
                Map<String, String> a = new LinkedHashMap<>(rs.getMetadata().getAnnotations());
                a.keySet().removeAll(List.of(Canary.STEP, Canary.WEIGHT, Canary.SINCE, Canary.PROMOTED));
                a.putAll(c.state().annotations());
                rs.getMetadata().setAnnotations(a);
                return rs;
            });
            events.normal(d, "deployment-controller", c.state().promoted() ? "CanaryPromoted" : "CanaryStep", "Canary " + c.replicaSet() + ": " + c.why());
        } else if (action instanceof DeploymentPlanner.Action.MarkComplete m) {
            store.<ReplicaSet>mutate(new ObjectKey(ResourceKind.REPLICASET, ns, m.replicaSet()), rs -> {
                Map<String, String> a = new LinkedHashMap<>(rs.getMetadata().getAnnotations());
                a.put(DeploymentPlanner.COMPLETE_ANNOTATION, clock.instant().toString());
                rs.getMetadata().setAnnotations(a);
                return rs;
            });
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
        String cause = d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get(DeploymentPlanner.CHANGE_CAUSE_ANNOTATION);
        if (cause != null) {
            annotations.put(DeploymentPlanner.CHANGE_CAUSE_ANNOTATION, cause);
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
