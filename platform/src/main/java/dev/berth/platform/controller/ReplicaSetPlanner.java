package dev.berth.platform.controller;

import dev.berth.platform.model.PodStatuses;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The ReplicaSet controller's decision, as a pure function of the ReplicaSet and the pods it owns: how many
 * pods to create, which to delete, and the status to report. Finished (Failed) pods are deleted so they are
 * replaced — that is self-healing after a crash loop gives up, a lost node or an eviction.
 */
public final class ReplicaSetPlanner {

    private ReplicaSetPlanner() {}

    public record Plan(int create, List<Pod> delete, ReplicaSetStatus status) {
        public boolean hasActions() {
            return create > 0 || !delete.isEmpty();
        }
    }

    /**
     * Which surplus pods go first, as Kubernetes ranks them: unscheduled before scheduled, not ready before
     * ready, more restarts before fewer, newer before older.
     */
    static final Comparator<Pod> DELETION_ORDER = Comparator
            .comparing((Pod p) -> PodStatuses.isScheduled(p))
            .thenComparing(PodStatuses::isReady)
            .thenComparing(p -> -restarts(p))
            .thenComparing((Pod p) -> p.getMetadata().getCreationTimestamp(), Comparator.nullsFirst(Comparator.reverseOrder()));

    public static Plan plan(ReplicaSet rs, List<Pod> owned, Instant now) {
        int desired = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
        int minReadySeconds = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
        List<Pod> active = owned.stream().filter(PodStatuses::isActive).toList();
        List<Pod> delete = new ArrayList<>(owned.stream().filter(p -> PodStatuses.isFinished(p) && !PodStatuses.isTerminating(p)).toList());
        int create = 0;
        if (active.size() < desired) {
            create = desired - active.size();
        } else if (active.size() > desired) {
            delete.addAll(active.stream().sorted(DELETION_ORDER).limit(active.size() - desired).toList());
        }
        int ready = (int) active.stream().filter(PodStatuses::isReady).count();
        int available = (int) active.stream().filter(p -> isAvailable(p, minReadySeconds, now)).count();
        ReplicaSetStatus status = new ReplicaSetStatusBuilder()
                .withReplicas(active.size())
                .withFullyLabeledReplicas(active.size())
                .withReadyReplicas(ready)
                .withAvailableReplicas(available)
                .withObservedGeneration(rs.getMetadata().getGeneration())
                .build();
        return new Plan(create, delete, status);
    }

    /** Ready for at least {@code minReadySeconds}. */
    public static boolean isAvailable(Pod p, int minReadySeconds, Instant now) {
        if (!PodStatuses.isReady(p)) {
            return false;
        }
        if (minReadySeconds == 0) {
            return true;
        }
        String since = PodStatuses.readySince(p);
        return since != null && !Instant.parse(since).plus(Duration.ofSeconds(minReadySeconds)).isAfter(now);
    }

    private static int restarts(Pod p) {
        if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return p.getStatus().getContainerStatuses().stream().mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).sum();
    }
}
