package dev.berth.platform.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Deployment controller's decision, pure: make sure a ReplicaSet exists for the current pod template,
 * give it the desired replicas and scale every other ReplicaSet to zero; prune old ReplicaSets beyond
 * {@code revisionHistoryLimit}. (Rolling updates with maxSurge/maxUnavailable refine the scaling step.)
 */
public final class DeploymentPlanner {

    public static final String REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
    public static final String BERTH_REVISION_ANNOTATION = "berth.dev/revision";

    private DeploymentPlanner() {}

    public sealed interface Action {
        /** Create the ReplicaSet for the current template, as revision {@code revision}. */
        record CreateReplicaSet(String hash, long revision, int replicas) implements Action {}

        record Scale(String replicaSet, int replicas) implements Action {}

        record DeleteReplicaSet(String replicaSet) implements Action {}
    }

    public record Plan(List<Action> actions, DeploymentStatus status) {}

    public static Plan plan(Deployment d, List<ReplicaSet> owned, String templateHash) {
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        List<Action> actions = new ArrayList<>();
        Optional<ReplicaSet> current = owned.stream().filter(rs -> templateHash.equals(hashOf(rs))).findFirst();
        if (current.isEmpty()) {
            actions.add(new Action.CreateReplicaSet(templateHash, maxRevision(owned) + 1, desired));
        } else if (replicas(current.get()) != desired) {
            actions.add(new Action.Scale(name(current.get()), desired));
        }
        List<ReplicaSet> old = owned.stream().filter(rs -> !templateHash.equals(hashOf(rs))).toList();
        for (ReplicaSet rs : old) {
            if (replicas(rs) > 0) {
                actions.add(new Action.Scale(name(rs), 0));
            }
        }
        int limit = d.getSpec().getRevisionHistoryLimit() == null ? 10 : d.getSpec().getRevisionHistoryLimit();
        List<ReplicaSet> idle = old.stream().filter(rs -> replicas(rs) == 0 && observed(rs) == 0)
                .sorted(Comparator.comparingLong(DeploymentPlanner::revision)).toList();
        for (int i = 0; i < idle.size() - limit; i++) {
            actions.add(new Action.DeleteReplicaSet(name(idle.get(i))));
        }
        return new Plan(actions, status(d, owned, current));
    }

    private static DeploymentStatus status(Deployment d, List<ReplicaSet> owned, Optional<ReplicaSet> current) {
        int replicas = owned.stream().mapToInt(DeploymentPlanner::observed).sum();
        int ready = owned.stream().mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0 : rs.getStatus().getReadyReplicas()).sum();
        int available = owned.stream().mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0 : rs.getStatus().getAvailableReplicas()).sum();
        int updated = current.map(DeploymentPlanner::observed).orElse(0);
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        return new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withUpdatedReplicas(updated)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available)
                .withUnavailableReplicas(Math.max(0, desired - available))
                .withConditions(d.getStatus() == null ? List.of() : d.getStatus().getConditions())
                .build();
    }

    public static String hashOf(ReplicaSet rs) {
        Map<String, String> labels = rs.getMetadata().getLabels();
        return labels == null ? null : labels.get(PodTemplates.TEMPLATE_HASH_LABEL);
    }

    public static long revision(ReplicaSet rs) {
        Map<String, String> a = rs.getMetadata().getAnnotations();
        String v = a == null ? null : a.get(REVISION_ANNOTATION);
        return v == null ? 0 : Long.parseLong(v);
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

    private static String name(ReplicaSet rs) {
        return rs.getMetadata().getName();
    }
}
