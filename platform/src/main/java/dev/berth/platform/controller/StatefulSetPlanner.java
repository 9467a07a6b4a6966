package dev.berth.platform.controller;

import dev.berth.platform.model.PodStatuses;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The StatefulSet controller's decision, pure, with OrderedReady semantics: pods have stable names
 * {@code <set>-<ordinal>}; ordinal n is created only when 0..n-1 are Running and Ready; scaling down removes
 * the highest ordinal first, one at a time; a finished pod is deleted so it comes back with the same name (and
 * the same volume directory). One step per pass.
 *
 * <p>Updates follow upstream's RollingUpdate strategy: each pod is labelled with the revision it was made from; once
 * every ordinal is Running and Ready, the highest ordinal at or above {@code partition} whose revision is not the
 * update revision is deleted, and comes back (as any missing ordinal) from the update revision. A pod below the
 * partition is created from the current revision. {@code OnDelete} replaces nothing by itself.
 */
public final class StatefulSetPlanner {

    private StatefulSetPlanner() {}

    public sealed interface Step {
        /** @param revision the name of the revision the pod is made from */
        record Create(int ordinal, String revision) implements Step {}

        record Delete(Pod pod) implements Step {}

        record None() implements Step {}
    }

    public record Plan(Step step, StatefulSetStatus status) {}

    public static String podName(StatefulSet set, int ordinal) {
        return set.getMetadata().getName() + "-" + ordinal;
    }

    /**
     * @param current the revision the set's pods were made from before this update ({@code status.currentRevision}),
     *                {@code update} when there is none yet
     * @param update  the revision of the set's template now
     */
    public static Plan plan(StatefulSet set, List<Pod> owned, String current, String update) {
        int desired = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        Map<Integer, Pod> byOrdinal = new HashMap<>();
        for (Pod p : owned) {
            ordinal(set, p).ifPresent(o -> byOrdinal.put(o, p));
        }
        return new Plan(step(set, desired, byOrdinal, current, update), status(set, owned, desired, current, update));
    }

    /** {@code spec.updateStrategy.rollingUpdate.partition}, 0 by default. */
    static int partition(StatefulSet set) {
        var strategy = set.getSpec().getUpdateStrategy();
        return strategy == null || strategy.getRollingUpdate() == null || strategy.getRollingUpdate().getPartition() == null ? 0
                : strategy.getRollingUpdate().getPartition();
    }

    static boolean rollingUpdate(StatefulSet set) {
        var strategy = set.getSpec().getUpdateStrategy();
        return strategy == null || strategy.getType() == null || !"OnDelete".equals(strategy.getType());
    }

    private static Step step(StatefulSet set, int desired, Map<Integer, Pod> pods, String current, String update) {
        for (int i = 0; i < desired; i++) {
            Pod p = pods.get(i);
            if (p == null) {
                return new Step.Create(i, rollingUpdate(set) && i < partition(set) ? current : update);
            }
            if (PodStatuses.isTerminating(p)) {
                return new Step.None(); // wait until it is gone before re-creating the same name
            }
            if (PodStatuses.isFinished(p)) {
                return new Step.Delete(p);
            }
            if (!PodStatuses.isReady(p)) {
                return new Step.None(); // OrderedReady: the next ordinal waits for this one
            }
        }
        int highest = pods.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        if (highest >= desired) {
            Pod p = pods.get(highest);
            return PodStatuses.isTerminating(p) ? new Step.None() : new Step.Delete(p);
        }
        if (rollingUpdate(set)) {
            for (int i = desired - 1; i >= partition(set); i--) {
                Pod p = pods.get(i);
                if (!StatefulSetRevisions.of(p).equals(update)) {
                    return new Step.Delete(p); // one at a time: the loop above waits until it is back and Ready
                }
            }
        }
        return new Step.None();
    }

    static Optional<Integer> ordinal(StatefulSet set, Pod p) {
        String prefix = set.getMetadata().getName() + "-";
        String name = p.getMetadata().getName();
        if (!name.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(name.substring(prefix.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Upstream's status: replicas by revision; once every wanted replica is updated and Ready the update revision
     * becomes the current one ({@code completeRollingUpdate}).
     */
    private static StatefulSetStatus status(StatefulSet set, List<Pod> owned, int desired, String current, String update) {
        List<Pod> active = owned.stream().filter(PodStatuses::isActive).toList();
        int ready = (int) active.stream().filter(PodStatuses::isReady).count();
        int currentReplicas = (int) active.stream().filter(p -> StatefulSetRevisions.of(p).equals(current)).count();
        int updated = (int) active.stream().filter(p -> StatefulSetRevisions.of(p).equals(update)).count();
        String currentRevision = current;
        if (rollingUpdate(set) && updated == active.size() && ready == active.size() && active.size() == desired) {
            currentRevision = update;
            currentReplicas = updated;
        }
        return new StatefulSetStatusBuilder()
                .withObservedGeneration(set.getMetadata().getGeneration())
                .withReplicas(active.size())
                .withReadyReplicas(ready)
                .withAvailableReplicas(ready)
                .withCurrentReplicas(currentReplicas)
                .withUpdatedReplicas(updated)
                .withCurrentRevision(currentRevision)
                .withUpdateRevision(update)
                .withCollisionCount(0)
                .build();
    }
}
