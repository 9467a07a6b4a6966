package dev.berth.platform.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;

/** Reading a Pod's state the way controllers do. Pure. */
public final class PodStatuses {

    public static final String RUNNING = "Running";
    public static final String PENDING = "Pending";
    public static final String FAILED = "Failed";
    public static final String SUCCEEDED = "Succeeded";

    private PodStatuses() {}

    public static boolean isTerminating(Pod p) {
        return p.getMetadata().getDeletionTimestamp() != null;
    }

    public static String phase(Pod p) {
        return p.getStatus() == null || p.getStatus().getPhase() == null ? PENDING : p.getStatus().getPhase();
    }

    public static boolean isFinished(Pod p) {
        String phase = phase(p);
        return phase.equals(FAILED) || phase.equals(SUCCEEDED);
    }

    /** Counted by a controller: not terminating and not finished. */
    public static boolean isActive(Pod p) {
        return !isTerminating(p) && !isFinished(p);
    }

    public static boolean isScheduled(Pod p) {
        return p.getSpec() != null && p.getSpec().getNodeName() != null;
    }

    public static boolean isReady(Pod p) {
        return condition(p, "Ready");
    }

    public static boolean condition(Pod p, String type) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return false;
        }
        List<PodCondition> conditions = p.getStatus().getConditions();
        return conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** When the pod last became Ready, or null. */
    public static String readySince(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return null;
        }
        return p.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(PodCondition::getLastTransitionTime).findFirst().orElse(null);
    }
}
