package dev.berth.platform.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Deployment controller's decision, pure: one step of a rollout per pass, as Kubernetes' Deployment
 * controller takes it ({@code sync.go}, {@code rolling.go}, {@code recreate.go}, {@code progress.go}) — make sure
 * a ReplicaSet exists for the current pod template (a new revision, or an old one renumbered on undo), then grow
 * the new ReplicaSet or shrink the old ones within maxSurge/maxUnavailable ({@link RollingUpdate}), or stop all
 * old pods first ({@code Recreate}); prune history beyond {@code revisionHistoryLimit} once complete.
 *
 * <p>Beyond Kubernetes: when the new revision crash-loops, stays unready ({@link RevisionSignals}) or exceeds its
 * progress deadline, the plan rolls back to the last revision that completed a rollout and the status says so in
 * a {@code Degraded} condition.
 */
public final class DeploymentPlanner {

    public static final String REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
    public static final String REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history";
    public static final String BERTH_REVISION_ANNOTATION = "berth.dev/revision";
    /** Set on a ReplicaSet when a rollout to it completed: the revisions automatic rollback may go back to. */
    public static final String COMPLETE_ANNOTATION = "berth.dev/rollout-complete";
    public static final String CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause";

    static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
    static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;

    private DeploymentPlanner() {}

    public sealed interface Action {
        /** Create the ReplicaSet for the current template, as revision {@code revision}. */
        record CreateReplicaSet(String hash, long revision, int replicas) implements Action {}

        record Scale(String replicaSet, int replicas) implements Action {}

        record DeleteReplicaSet(String replicaSet) implements Action {}

        /** An old ReplicaSet matches the template again (undo): it becomes the newest revision. */
        record Renumber(String replicaSet, long revision) implements Action {}

        /** The rollout to this ReplicaSet completed: it is a good revision to come back to. */
        record MarkComplete(String replicaSet) implements Action {}

        /** Move the canary to {@code state}: its step, the traffic weight the proxy gives it, since when. */
        record SetCanary(String replicaSet, Canary.State state, String why) implements Action {}

        /** Put the template of {@code toReplicaSet} back into the Deployment. */
        record RollBack(String toReplicaSet, long toRevision, long fromRevision, RevisionSignals.Failure why) implements Action {}
    }

    public record Plan(List<Action> actions, DeploymentStatus status) {

        /** Whether a rollout is under way (not complete, not paused): progress must be looked at again soon. */
        public boolean rolling() {
            return DeploymentConditions.find(status, DeploymentConditions.PROGRESSING)
                    .map(c -> !"NewReplicaSetAvailable".equals(c.getReason()) && !"DeploymentPaused".equals(c.getReason())
                            && !"ProgressDeadlineExceeded".equals(c.getReason()))
                    .orElse(false);
        }
    }

    /**
     * The ReplicaSet of the Deployment's current pod template: the one {@link PodTemplates#findNewReplicaSet} found
     * among those it owns, or none yet, to be created under the template's hash.
     */
    public record NewReplicaSet(String templateHash, Optional<ReplicaSet> existing) {}

    /**
     * @param owned            the ReplicaSets the Deployment controls
     * @param template         which of them has the Deployment's current pod template, and that template's hash
     * @param newPodsFailure   what {@link RevisionSignals} found wrong with the pods of that ReplicaSet
     */
    public static Plan plan(Deployment d, List<ReplicaSet> owned, NewReplicaSet template, Optional<RevisionSignals.Failure> newPodsFailure, Instant now) {
        return plan(d, owned, template, newPodsFailure, Optional.empty(), now);
    }

    /**
     * @param verdict the canary analysis of the step under way, when {@link Canary#analysisDue} said one was due
     */
    public static Plan plan(Deployment d, List<ReplicaSet> owned, NewReplicaSet template, Optional<RevisionSignals.Failure> newPodsFailure,
            Optional<Canary.Verdict> verdict, Instant now) {
        int desired = desired(d);
        String templateHash = template.templateHash();
        Optional<ReplicaSet> newRs = template.existing();
        List<ReplicaSet> old = oldReplicaSets(owned, newRs).stream().sorted(Comparator.comparingLong(DeploymentPlanner::revision)).toList();
        List<Action> actions = new ArrayList<>();
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        boolean recreate = recreate(d);
        Optional<RevisionSignals.Failure> rolledBackFor = Optional.empty();

        if (paused) {
            // a paused Deployment starts no rollout; it may still be scaled when no rollout is half-way
            if (newRs.isPresent() && old.stream().allMatch(rs -> replicas(rs) == 0) && replicas(newRs.get()) != desired) {
                actions.add(new Action.Scale(name(newRs.get()), desired));
            }
        } else if (newRs.isEmpty()) {
            if (!recreate) {
                int initial = RollingUpdate.newReplicaSetReplicas(desired, fenceposts(d).maxSurge(), total(old), 0);
                actions.add(new Action.CreateReplicaSet(templateHash, maxRevision(owned) + 1, initial));
            } else if (!scaleDownAll(old, actions) && old.stream().allMatch(rs -> observed(rs) == 0)) {
                actions.add(new Action.CreateReplicaSet(templateHash, maxRevision(owned) + 1, desired));
            }
        } else if (revision(newRs.get()) < maxRevision(owned)) {
            actions.add(new Action.Renumber(name(newRs.get()), maxRevision(owned) + 1));
        } else {
            ReplicaSet current = newRs.get();
            rolledBackFor = rollbackReason(d, current, newPodsFailure, now);
            if (rolledBackFor.isEmpty() && verdict.isPresent() && verdict.get().outcome() == Canary.Verdict.Outcome.FAIL
                    && RevisionSignals.autoRollbackEnabled(d)) {
                rolledBackFor = Optional.of(new RevisionSignals.Failure("AnalysisFailed", verdict.get().detail()));
            }
            Optional<ReplicaSet> good = old.stream().filter(DeploymentPlanner::completed).reduce((a, b) -> b);
            Optional<Canary.Settings> canary = Canary.settings(d);
            if (rolledBackFor.isPresent() && good.isPresent()) {
                actions.add(new Action.RollBack(name(good.get()), revision(good.get()), revision(current), rolledBackFor.get()));
            } else if (recreate) {
                recreateStep(current, old, desired, actions);
            } else if (canary.isPresent() && !completed(current) && !Canary.state(current).promoted()
                    && old.stream().anyMatch(rs -> available(rs) > 0)) {
                canaryStep(canary.get(), current, desired, verdict, now, actions);
            } else {
                rollingStep(d, current, old, desired, actions);
            }
            if (actions.isEmpty() && isComplete(desired, current, old)) {
                if (!completed(current)) {
                    actions.add(new Action.MarkComplete(name(current)));
                }
                prune(d, old, actions);
            }
        }
        boolean created = actions.stream().anyMatch(a -> a instanceof Action.CreateReplicaSet);
        boolean stepped = actions.stream().anyMatch(a -> a instanceof Action.SetCanary);
        return new Plan(actions, status(d, newRs, old, created, stepped, templateHash, actions, rolledBackFor, now));
    }

    /** Upstream's {@code FindOldReplicaSets} (all of them): every owned ReplicaSet but the new one, in their order. */
    static List<ReplicaSet> oldReplicaSets(List<ReplicaSet> owned, Optional<ReplicaSet> newRs) {
        return owned.stream().filter(rs -> newRs.isEmpty() || !name(rs).equals(name(newRs.get()))).toList();
    }

    /** {@code rolloutRolling}: grow the new ReplicaSet if the surge allows, else shrink old ones if availability allows. */
    private static void rollingStep(Deployment d, ReplicaSet newRs, List<ReplicaSet> old, int desired, List<Action> actions) {
        RollingUpdate.Fenceposts f = fenceposts(d);
        int newReplicas = replicas(newRs);
        int total = total(old) + newReplicas;
        if (newReplicas > desired) {
            actions.add(new Action.Scale(name(newRs), desired));
            return;
        }
        if (newReplicas < desired) {
            int grown = RollingUpdate.newReplicaSetReplicas(desired, f.maxSurge(), total, newReplicas);
            if (grown != newReplicas) {
                actions.add(new Action.Scale(name(newRs), grown));
                return;
            }
        }
        if (total(old) == 0) {
            return;
        }
        int maxUnavailable = maxUnavailable(d);
        int maxScaledDown = RollingUpdate.maxScaledDown(desired, maxUnavailable, total, newReplicas, available(newRs));
        if (maxScaledDown <= 0) {
            return;
        }
        int[] sizes = old.stream().mapToInt(DeploymentPlanner::replicas).toArray(); // oldest first
        int[] healthy = RollingUpdate.withoutUnhealthy(sizes, old.stream().mapToInt(DeploymentPlanner::available).toArray(), maxScaledDown);
        int cleanedUp = Arrays.stream(sizes).sum() - Arrays.stream(healthy).sum();
        int availableTotal = available(newRs) + old.stream().mapToInt(DeploymentPlanner::available).sum();
        int scaleDown = Math.min(maxScaledDown - cleanedUp, RollingUpdate.availableScaleDown(desired, maxUnavailable, availableTotal));
        int[] next = RollingUpdate.scaledDownOldestFirst(healthy, scaleDown);
        for (int i = 0; i < old.size(); i++) {
            if (next[i] != sizes[i]) {
                actions.add(new Action.Scale(name(old.get(i)), next[i]));
            }
        }
    }

    /**
     * One canary step at a time: the canary's replicas for the step's weight, then (once available) the weight
     * routed, then after the step's duration the analysis's verdict: next step, or promotion to a RollingUpdate.
     * No verdict or an inconclusive one keeps the step going; a failed one was turned into a rollback before.
     */
    private static void canaryStep(Canary.Settings s, ReplicaSet canary, int desired, Optional<Canary.Verdict> verdict, Instant now,
            List<Action> actions) {
        Canary.State state = Canary.state(canary);
        int step = Math.min(state.step(), s.steps().size() - 1);
        int weight = s.steps().get(step);
        int replicas = Math.min(desired, Canary.replicas(desired, weight));
        if (replicas(canary) != replicas) {
            actions.add(new Action.Scale(name(canary), replicas));
        } else if (available(canary) < replicas) {
            return; // wait for the canary's pods
        } else if (state.since() == null || state.weight() == null || state.weight() != weight) {
            actions.add(new Action.SetCanary(name(canary), new Canary.State(step, weight, now, false),
                    "step " + (step + 1) + "/" + s.steps().size() + ": " + weight + "% of traffic to the canary for " + s.stepDuration().toSeconds() + "s"));
        } else if (Canary.analysisDue(s, canary, now) && verdict.isPresent() && verdict.get().outcome() == Canary.Verdict.Outcome.PASS) {
            if (step + 1 < s.steps().size()) {
                // the weight of the passed step stays routed until the next one's replicas are available
                actions.add(new Action.SetCanary(name(canary), new Canary.State(step + 1, weight, null, false),
                        "step " + (step + 1) + " passed: " + verdict.get().detail()));
            } else {
                actions.add(new Action.SetCanary(name(canary), new Canary.State(step, null, null, true),
                        "promoted after " + s.steps().size() + " steps: " + verdict.get().detail()));
            }
        }
    }

    /** {@code rolloutRecreate}: every old pod gone before the new ReplicaSet gets any. */
    private static void recreateStep(ReplicaSet newRs, List<ReplicaSet> old, int desired, List<Action> actions) {
        if (scaleDownAll(old, actions) || old.stream().anyMatch(rs -> observed(rs) > 0)) {
            return;
        }
        if (replicas(newRs) != desired) {
            actions.add(new Action.Scale(name(newRs), desired));
        }
    }

    private static boolean scaleDownAll(List<ReplicaSet> old, List<Action> actions) {
        boolean any = false;
        for (ReplicaSet rs : old) {
            if (replicas(rs) > 0) {
                actions.add(new Action.Scale(name(rs), 0));
                any = true;
            }
        }
        return any;
    }

    /** Why the new revision must go back, if it must: its pods' signals, or the progress deadline passing. */
    private static Optional<RevisionSignals.Failure> rollbackReason(Deployment d, ReplicaSet newRs, Optional<RevisionSignals.Failure> podsFailure, Instant now) {
        if (completed(newRs) || !RevisionSignals.autoRollbackEnabled(d)) {
            return Optional.empty();
        }
        if (podsFailure.isPresent()) {
            return podsFailure;
        }
        return DeploymentConditions.find(d.getStatus(), DeploymentConditions.PROGRESSING)
                .filter(c -> DeploymentConditions.timedOut(c, progressDeadline(d), now))
                .map(c -> new RevisionSignals.Failure("ProgressDeadlineExceeded",
                        "ReplicaSet \"" + name(newRs) + "\" has timed out progressing (progressDeadlineSeconds " + progressDeadline(d) + ")"));
    }

    private static DeploymentStatus status(Deployment d, Optional<ReplicaSet> newRs, List<ReplicaSet> old, boolean created, boolean stepped, String hash,
            List<Action> actions, Optional<RevisionSignals.Failure> failure, Instant now) {
        List<ReplicaSet> all = new ArrayList<>(old);
        newRs.ifPresent(all::add);
        int desired = desired(d);
        int replicas = all.stream().mapToInt(DeploymentPlanner::observed).sum();
        int ready = all.stream().mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0 : rs.getStatus().getReadyReplicas()).sum();
        int available = all.stream().mapToInt(DeploymentPlanner::available).sum();
        int updated = newRs.map(DeploymentPlanner::observed).orElse(0);
        DeploymentStatus next = new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withUpdatedReplicas(updated)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available)
                .withUnavailableReplicas(Math.max(0, desired - available))
                .withConditions(new ArrayList<>(d.getStatus() == null || d.getStatus().getConditions() == null ? List.of() : d.getStatus().getConditions()))
                .build();
        String rsName = newRs.map(DeploymentPlanner::name).orElse(d.getMetadata().getName() + "-" + hash);
        boolean complete = newRs.isPresent() && isComplete(desired, newRs.get(), old);
        DeploymentConditions.available(next, available >= desired - maxUnavailable(d), now); // as calculateStatus
        DeploymentConditions.progressing(d, next, Boolean.TRUE.equals(d.getSpec().getPaused()), complete, created, stepped, rsName,
                progressDeadline(d), now);
        Optional<Action.RollBack> rollBack = actions.stream().filter(a -> a instanceof Action.RollBack).map(a -> (Action.RollBack) a).findFirst();
        if (rollBack.isPresent()) {
            Action.RollBack r = rollBack.get();
            DeploymentConditions.rolledBack(next, r.why().reason(), "rolled back from revision " + r.fromRevision() + " to revision "
                    + r.toRevision() + ": " + r.why().message(), now);
        } else if (failure.isPresent()) {
            DeploymentConditions.degraded(next, true, failure.get().reason(), "revision " + newRs.map(DeploymentPlanner::revision).orElse(0L)
                    + " failed and no earlier revision completed a rollout, nothing to roll back to: " + failure.get().message(), now);
        } else if (complete && newRs.get().getMetadata().getCreationTimestamp() != null) {
            // a revision created after the rollback completed: the Deployment is healthy again
            DeploymentConditions.find(next, DeploymentConditions.DEGRADED)
                    .filter(c -> "True".equals(c.getStatus()) && c.getLastTransitionTime() != null
                            && !Instant.parse(newRs.get().getMetadata().getCreationTimestamp()).isBefore(Instant.parse(c.getLastTransitionTime())))
                    .ifPresent(c -> DeploymentConditions.degraded(next, false, "NewRevisionAvailable",
                            "revision " + revision(newRs.get()) + " rolled out after the rollback", now));
        }
        return next;
    }

    private static void prune(Deployment d, List<ReplicaSet> old, List<Action> actions) {
        int limit = d.getSpec().getRevisionHistoryLimit() == null ? DEFAULT_REVISION_HISTORY_LIMIT : d.getSpec().getRevisionHistoryLimit();
        List<ReplicaSet> idle = old.stream().filter(rs -> replicas(rs) == 0 && observed(rs) == 0).toList();
        for (int i = 0; i < idle.size() - limit; i++) {
            actions.add(new Action.DeleteReplicaSet(name(idle.get(i))));
        }
    }

    /** {@code DeploymentComplete}: every pod is of the new revision and available, and no old pod is left. */
    static boolean isComplete(int desired, ReplicaSet newRs, List<ReplicaSet> old) {
        return replicas(newRs) == desired && observed(newRs) == desired && available(newRs) == desired
                && old.stream().allMatch(rs -> replicas(rs) == 0 && observed(rs) == 0);
    }

    static RollingUpdate.Fenceposts fenceposts(Deployment d) {
        var strategy = d.getSpec().getStrategy();
        var rolling = strategy == null ? null : strategy.getRollingUpdate();
        try {
            return RollingUpdate.fenceposts(rolling == null ? null : rolling.getMaxSurge(), rolling == null ? null : rolling.getMaxUnavailable(), desired(d));
        } catch (IllegalArgumentException e) {
            // the API validates these on apply; a stored object that slipped through rolls one pod at a time
            return new RollingUpdate.Fenceposts(0, 1);
        }
    }

    /**
     * {@code deploymentutil.MaxUnavailable}: how many desired pods may be unavailable with the Deployment still
     * Available — the RollingUpdate's resolved maxUnavailable, at most the desired replicas; 0 for Recreate (it
     * has no such budget: every replica must be available) and for 0 replicas.
     *
     * <p>Worked example: desired 10, maxUnavailable 25% → 2; desired 5, maxUnavailable 10 → 5; Recreate → 0.
     */
    static int maxUnavailable(Deployment d) {
        if (recreate(d) || desired(d) == 0) {
            return 0;
        }
        return Math.min(fenceposts(d).maxUnavailable(), desired(d));
    }

    static boolean recreate(Deployment d) {
        return d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());
    }

    static int progressDeadline(Deployment d) {
        return d.getSpec().getProgressDeadlineSeconds() == null ? DEFAULT_PROGRESS_DEADLINE_SECONDS : d.getSpec().getProgressDeadlineSeconds();
    }

    static boolean completed(ReplicaSet rs) {
        return rs.getMetadata().getAnnotations() != null && rs.getMetadata().getAnnotations().containsKey(COMPLETE_ANNOTATION);
    }

    static int desired(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    static int total(List<ReplicaSet> sets) {
        return sets.stream().mapToInt(DeploymentPlanner::replicas).sum();
    }

    public static String hashOf(ReplicaSet rs) {
        Map<String, String> labels = rs.getMetadata().getLabels();
        return labels == null ? null : labels.get(PodTemplates.TEMPLATE_HASH_LABEL);
    }

    public static long revision(ReplicaSet rs) {
        Map<String, String> a = rs.getMetadata().getAnnotations();
        String v = a == null ? null : a.get(REVISION_ANNOTATION);
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static long maxRevision(List<ReplicaSet> owned) {
        return owned.stream().mapToLong(DeploymentPlanner::revision).max().orElse(0);
    }

    static int replicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    static int observed(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0 : rs.getStatus().getReplicas();
    }

    static int available(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0 : rs.getStatus().getAvailableReplicas();
    }

    private static String name(ReplicaSet rs) {
        return rs.getMetadata().getName();
    }
}
