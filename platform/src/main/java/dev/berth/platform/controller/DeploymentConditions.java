package dev.berth.platform.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A Deployment's conditions with Kubernetes' types, reasons and messages ({@code deployment/util}): Available,
 * Progressing (whose lastUpdateTime moves only on progress, so the progress deadline counts from the last
 * progress), and Berth's own Degraded (a revision was rolled back automatically). A condition whose status and
 * reason did not change keeps its times, so a settled Deployment's status stops changing. Pure; mutates only the
 * status it is given.
 */
public final class DeploymentConditions {

    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";

    private DeploymentConditions() {}

    public static Optional<DeploymentCondition> find(DeploymentStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return Optional.empty();
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static void available(DeploymentStatus status, boolean minimumAvailable, Instant now) {
        set(status, AVAILABLE, minimumAvailable ? "True" : "False",
                minimumAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                minimumAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now, false);
    }

    /**
     * {@code syncRolloutStatus}: paused → Unknown/DeploymentPaused; complete → NewReplicaSetAvailable; a new
     * ReplicaSet, more updated/ready/available pods, fewer old ones or a canary step → progress (lastUpdateTime now);
     * no progress for {@code deadlineSeconds} → False/ProgressDeadlineExceeded.
     */
    static void progressing(Deployment d, DeploymentStatus next, boolean paused, boolean complete, boolean created, boolean canaryStepped,
            String newRs, int deadlineSeconds, Instant now) {
        Optional<DeploymentCondition> previous = find(d.getStatus(), PROGRESSING);
        if (paused) {
            set(next, PROGRESSING, "Unknown", "DeploymentPaused", "Deployment is paused", now, false);
        } else if (previous.isPresent() && "DeploymentPaused".equals(previous.get().getReason())) {
            set(next, PROGRESSING, "Unknown", "DeploymentResumed", "Deployment is resumed", now, false);
        } else if (complete) {
            set(next, PROGRESSING, "True", "NewReplicaSetAvailable", "ReplicaSet \"" + newRs + "\" has successfully progressed.", now, false);
        } else if (created) {
            set(next, PROGRESSING, "True", "NewReplicaSetCreated", "Created new replica set \"" + newRs + "\"", now, true);
        } else if (progressed(d.getStatus(), next) || canaryStepped || previous.isEmpty()) {
            set(next, PROGRESSING, "True", "ReplicaSetUpdated", "ReplicaSet \"" + newRs + "\" is progressing.", now, true);
        } else if (timedOut(previous.get(), deadlineSeconds, now)) {
            set(next, PROGRESSING, "False", "ProgressDeadlineExceeded", "ReplicaSet \"" + newRs + "\" has timed out progressing.", now, false);
        }
    }

    /** {@code DeploymentTimedOut}: no progress since the condition's lastUpdateTime for the deadline. */
    static boolean timedOut(DeploymentCondition c, int deadlineSeconds, Instant now) {
        if ("NewReplicaSetAvailable".equals(c.getReason()) || "DeploymentPaused".equals(c.getReason())) {
            return false;
        }
        if ("ProgressDeadlineExceeded".equals(c.getReason())) {
            return true;
        }
        return c.getLastUpdateTime() != null && Instant.parse(c.getLastUpdateTime()).plus(Duration.ofSeconds(deadlineSeconds)).isBefore(now);
    }

    /** {@code DeploymentProgressing}: more updated, ready or available pods, or fewer old ones, than last observed. */
    static boolean progressed(DeploymentStatus before, DeploymentStatus after) {
        if (before == null) {
            return true;
        }
        int oldBefore = nz(before.getReplicas()) - nz(before.getUpdatedReplicas());
        int oldAfter = nz(after.getReplicas()) - nz(after.getUpdatedReplicas());
        return nz(after.getUpdatedReplicas()) > nz(before.getUpdatedReplicas()) || oldAfter < oldBefore
                || nz(after.getReadyReplicas()) > nz(before.getReadyReplicas()) || nz(after.getAvailableReplicas()) > nz(before.getAvailableReplicas());
    }

    static void degraded(DeploymentStatus status, boolean degraded, String reason, String message, Instant now) {
        set(status, DEGRADED, degraded ? "True" : "False", reason, message, now, false);
    }

    /**
     * A rollback just happened: Degraded with fresh times even if it was Degraded already, at whole seconds like
     * creation timestamps, so "a ReplicaSet created since the rollback" can be told by comparing the two.
     */
    static void rolledBack(DeploymentStatus status, String reason, String message, Instant now) {
        status.getConditions().removeIf(c -> DEGRADED.equals(c.getType()));
        set(status, DEGRADED, "True", reason, message, now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), false);
    }

    /**
     * Sets a condition. Same status and reason: kept as it is, unless {@code touch} (progress), which moves
     * lastUpdateTime and the message but keeps lastTransitionTime.
     */
    private static void set(DeploymentStatus status, String type, String value, String reason, String message, Instant now, boolean touch) {
        List<DeploymentCondition> conditions = status.getConditions();
        Optional<DeploymentCondition> existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
        if (existing.isPresent() && value.equals(existing.get().getStatus()) && reason.equals(existing.get().getReason()) && !touch) {
            return;
        }
        String transition = existing.isPresent() && value.equals(existing.get().getStatus()) && existing.get().getLastTransitionTime() != null
                ? existing.get().getLastTransitionTime() : now.toString();
        DeploymentCondition c = new DeploymentConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withLastUpdateTime(now.toString()).withLastTransitionTime(transition).build();
        int at = existing.map(conditions::indexOf).orElse(-1);
        if (at >= 0) {
            conditions.set(at, c);
        } else {
            conditions.add(c);
        }
    }

    private static int nz(Integer v) {
        return v == null ? 0 : v;
    }
}
