package dev.berth.platform.runtime;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.StoreException;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The kubelet's writes to a pod's status, always guarded by the pod's uid (a newer pod with the same name —
 * a StatefulSet ordinal — is never touched by a stale worker). Conditions keep their lastTransitionTime unless
 * their status flips. Thread-safe (the store serialises writes).
 */
final class PodStatusWriter {

    private final ObjectStore store;
    private final Clock clock;

    PodStatusWriter(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Applies {@code change} to the pod's status if it is still the pod with {@code uid}; false if it is gone. */
    boolean update(ObjectKey key, String uid, Consumer<Pod> change) {
        try {
            store.<Pod>mutateShared(key, p -> { // the answer is not needed: no copy of it
                if (!uid.equals(p.getMetadata().getUid())) {
                    return p;
                }
                if (p.getStatus() == null) {
                    p.setStatus(new PodStatus());
                }
                change.accept(p);
                recomputeReadiness(p);
                return p;
            });
            return true;
        } catch (StoreException e) {
            return false;
        }
    }

    void container(Pod p, String name, Consumer<ContainerStatus> change) {
        List<ContainerStatus> statuses = p.getStatus().getContainerStatuses() == null ? new ArrayList<>() : new ArrayList<>(p.getStatus().getContainerStatuses());
        ContainerStatus status = statuses.stream().filter(c -> c.getName().equals(name)).findFirst().orElse(null);
        if (status == null) {
            String image = p.getSpec().getContainers().stream().filter(c -> c.getName().equals(name)).findFirst().map(c -> c.getImage()).orElse("");
            status = new ContainerStatusBuilder().withName(name).withImage(image).withRestartCount(0).withReady(false).withStarted(false)
                    .withState(waiting("ContainerCreating", null)).build();
            statuses.add(status);
        }
        change.accept(status);
        p.getStatus().setContainerStatuses(statuses);
    }

    static ContainerState waiting(String reason, String message) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
    }

    ContainerState running(Instant started) {
        return new ContainerStateBuilder().withNewRunning().withStartedAt(started.truncatedTo(ChronoUnit.SECONDS).toString()).endRunning().build();
    }

    ContainerState terminated(int exitCode, String reason, String message, String startedAt) {
        return new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withReason(reason).withMessage(message)
                .withStartedAt(startedAt).withFinishedAt(now()).endTerminated().build();
    }

    void condition(Pod p, String type, boolean value, String reason, String message) {
        List<PodCondition> conditions = p.getStatus().getConditions() == null ? new ArrayList<>() : new ArrayList<>(p.getStatus().getConditions());
        String status = value ? "True" : "False";
        PodCondition existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        if (existing != null && status.equals(existing.getStatus()) && Objects.equals(reason, existing.getReason())) {
            return;
        }
        String transition = existing != null && status.equals(existing.getStatus()) ? existing.getLastTransitionTime() : now();
        conditions.removeIf(c -> type.equals(c.getType()));
        conditions.add(new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime(transition).build());
        p.getStatus().setConditions(conditions);
    }

    /** Berth's own pod condition: every container's startup probe has passed (Kubernetes keeps no time for that). */
    public static final String STARTED_CONDITION = "berth.dev/ContainersStarted";

    /** ContainersReady and Ready follow the containers' ready flags (no readiness gates here); Started their started flags. */
    private void recomputeReadiness(Pod p) {
        List<ContainerStatus> statuses = p.getStatus().getContainerStatuses();
        if (statuses == null || statuses.isEmpty() || p.getMetadata().getDeletionTimestamp() != null) {
            if (p.getMetadata().getDeletionTimestamp() != null) {
                condition(p, "ContainersReady", false, "PodTerminating", null);
                condition(p, "Ready", false, "PodTerminating", null);
            }
            return;
        }
        boolean allStarted = statuses.size() == p.getSpec().getContainers().size() && statuses.stream().allMatch(c -> Boolean.TRUE.equals(c.getStarted()));
        // when the startup probes passed: from then on readiness is due (rollouts time "unready" from here)
        condition(p, STARTED_CONDITION, allStarted, allStarted ? null : "ContainersNotStarted", null);
        boolean allReady = statuses.size() == p.getSpec().getContainers().size() && statuses.stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
        String reason = allReady ? null : "ContainersNotReady";
        condition(p, "ContainersReady", allReady, reason, allReady ? null : "containers with unready status");
        condition(p, "Ready", allReady, reason, allReady ? null : "containers with unready status");
    }
}
