package dev.berth.platform.engine;

import dev.berth.platform.controller.DeploymentConditions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a Deployment's rollout stands, in {@code kubectl rollout status}'s words ({@code DeploymentStatusViewer}),
 * plus Berth's verdict when the core rolled the revision back by itself. Pure; shared by the CLI and the pipeline,
 * whichever engine they talk to.
 */
public record RolloutStatus(String message, boolean done, boolean failed) {

    public static RolloutStatus of(Deployment d, List<ReplicaSet> owned) {
        String name = d.getMetadata().getName();
        var status = d.getStatus();
        if (status == null || status.getObservedGeneration() == null || d.getMetadata().getGeneration() == null
                || d.getMetadata().getGeneration() > status.getObservedGeneration()) {
            return new RolloutStatus("Waiting for deployment spec update to be observed...", false, false);
        }
        Optional<DeploymentCondition> degraded = DeploymentConditions.find(status, DeploymentConditions.DEGRADED)
                .filter(c -> "True".equals(c.getStatus()) && c.getLastTransitionTime() != null);
        if (degraded.isPresent() && !supersededBy(degraded.get(), owned)) {
            return new RolloutStatus("deployment \"" + name + "\" was rolled back automatically (" + degraded.get().getReason() + "): "
                    + degraded.get().getMessage(), true, true);
        }
        Optional<DeploymentCondition> progressing = DeploymentConditions.find(status, DeploymentConditions.PROGRESSING);
        if (progressing.isPresent() && "ProgressDeadlineExceeded".equals(progressing.get().getReason())) {
            return new RolloutStatus("deployment \"" + name + "\" exceeded its progress deadline", true, true);
        }
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int updated = nz(status.getUpdatedReplicas());
        int replicas = nz(status.getReplicas());
        int available = nz(status.getAvailableReplicas());
        if (updated < desired) {
            return waiting(name, updated + " out of " + desired + " new replicas have been updated...");
        }
        if (replicas > updated) {
            return waiting(name, (replicas - updated) + " old replicas are pending termination...");
        }
        if (available < updated) {
            return waiting(name, available + " of " + updated + " updated replicas are available...");
        }
        return new RolloutStatus("deployment \"" + name + "\" successfully rolled out", true, false);
    }

    /** A revision created after the rollback is a new attempt: the old verdict no longer speaks for it. */
    private static boolean supersededBy(DeploymentCondition degraded, List<ReplicaSet> owned) {
        Instant rolledBack = Instant.parse(degraded.getLastTransitionTime());
        return owned.stream().map(rs -> rs.getMetadata().getCreationTimestamp()).filter(t -> t != null)
                .anyMatch(t -> !Instant.parse(t).isBefore(rolledBack));
    }

    private static RolloutStatus waiting(String name, String what) {
        return new RolloutStatus("Waiting for deployment \"" + name + "\" rollout to finish: " + what, false, false);
    }

    private static int nz(Integer v) {
        return v == null ? 0 : v;
    }
}
