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
 */
public final class StatefulSetPlanner {

    private StatefulSetPlanner() {}

    public sealed interface Step {
        record Create(int ordinal) implements Step {}

        record Delete(Pod pod) implements Step {}

        record None() implements Step {}
    }

    public record Plan(Step step, StatefulSetStatus status) {}

    public static String podName(StatefulSet set, int ordinal) {
        return set.getMetadata().getName() + "-" + ordinal;
    }

    public static Plan plan(StatefulSet set, List<Pod> owned) {
        int desired = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        Map<Integer, Pod> byOrdinal = new HashMap<>();
        for (Pod p : owned) {
            ordinal(set, p).ifPresent(o -> byOrdinal.put(o, p));
        }
        return new Plan(step(set, desired, byOrdinal), status(set, owned));
    }

    private static Step step(StatefulSet set, int desired, Map<Integer, Pod> pods) {
        for (int i = 0; i < desired; i++) {
            Pod p = pods.get(i);
            if (p == null) {
                return new Step.Create(i);
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

    private static StatefulSetStatus status(StatefulSet set, List<Pod> owned) {
        List<Pod> active = owned.stream().filter(PodStatuses::isActive).toList();
        int ready = (int) active.stream().filter(PodStatuses::isReady).count();
        return new StatefulSetStatusBuilder()
                .withObservedGeneration(set.getMetadata().getGeneration())
                .withReplicas(active.size())
                .withReadyReplicas(ready)
                .withAvailableReplicas(ready)
                .withCurrentReplicas(active.size())
                .withUpdatedReplicas(active.size())
                .build();
    }
}
