package dev.berth.platform.controller;

import dev.berth.platform.model.PodStatuses;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a new revision's pods show that it is broken — the signals on which Berth rolls back without waiting
 * for the progress deadline: a container that keeps crashing, or a started container that stays unready.
 * Thresholds come from the Deployment's annotations, with the defaults documented on each constant. Pure.
 */
public final class RevisionSignals {

    /** Restarts of one container of a new pod that count as crash-looping (default 2). */
    public static final String RESTARTS_ANNOTATION = "berth.dev/rollback-after-restarts";
    /** Seconds a started container of a new pod may stay unready (default 20). */
    public static final String UNREADY_ANNOTATION = "berth.dev/rollback-after-unready-seconds";
    /** {@code "false"} turns automatic rollback off for the Deployment. */
    public static final String AUTO_ROLLBACK_ANNOTATION = "berth.dev/auto-rollback";

    /** The kubelet's condition for "every startup probe passed" (runtime.PodStatusWriter), kept here to read it. */
    static final String STARTED_CONDITION = "berth.dev/ContainersStarted";

    static final int DEFAULT_RESTARTS = 2;
    static final int DEFAULT_UNREADY_SECONDS = 20;

    private RevisionSignals() {}

    /** Why a revision failed: a Kubernetes-style reason and a sentence for events and conditions. */
    public record Failure(String reason, String message) {}

    public record Thresholds(int restarts, Duration unready) {

        /** From the Deployment's annotations; an unparsable value is reported by validation, here it falls back. */
        public static Thresholds of(Deployment d) {
            Map<String, String> a = d.getMetadata().getAnnotations() == null ? Map.of() : d.getMetadata().getAnnotations();
            return new Thresholds(positive(a.get(RESTARTS_ANNOTATION), DEFAULT_RESTARTS),
                    Duration.ofSeconds(positive(a.get(UNREADY_ANNOTATION), DEFAULT_UNREADY_SECONDS)));
        }

        private static int positive(String v, int fallback) {
            try {
                int n = v == null ? fallback : Integer.parseInt(v.trim());
                return n > 0 ? n : fallback;
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
    }

    public static boolean autoRollbackEnabled(Deployment d) {
        Map<String, String> a = d.getMetadata().getAnnotations();
        return a == null || !"false".equalsIgnoreCase(a.get(AUTO_ROLLBACK_ANNOTATION));
    }

    /**
     * The first failure among the new revision's active pods, or empty while they look healthy or are still
     * starting (a container whose startup probe has not passed yet is the startup probe's business).
     */
    public static Optional<Failure> failure(List<Pod> newPods, Thresholds t, Instant now) {
        for (Pod p : newPods) {
            if (!PodStatuses.isActive(p) || PodStatuses.isTerminating(p) || p.getStatus() == null) {
                continue;
            }
            for (ContainerStatus cs : p.getStatus().getContainerStatuses() == null ? List.<ContainerStatus>of() : p.getStatus().getContainerStatuses()) {
                int restarts = cs.getRestartCount() == null ? 0 : cs.getRestartCount();
                if (restarts >= t.restarts()) {
                    String waiting = cs.getState() != null && cs.getState().getWaiting() != null ? " (" + cs.getState().getWaiting().getReason() + ")" : "";
                    return Optional.of(new Failure("CrashLooping", "container " + cs.getName() + " of pod " + p.getMetadata().getName()
                            + " restarted " + restarts + " times" + waiting));
                }
                Optional<Instant> unreadySince = unreadySince(p, cs);
                if (unreadySince.isPresent() && !unreadySince.get().plus(t.unready()).isAfter(now)) {
                    return Optional.of(new Failure("Unready", "container " + cs.getName() + " of pod " + p.getMetadata().getName()
                            + " started but has not been ready for " + Duration.between(unreadySince.get(), now).toSeconds() + "s (limit "
                            + t.unready().toSeconds() + "s)"));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Since when a running, started container has been unready: the latest of its process start, its startup
     * probe's success (condition {@value #STARTED_CONDITION}) and the pod's last Ready transition.
     */
    private static Optional<Instant> unreadySince(Pod p, ContainerStatus cs) {
        if (!Boolean.TRUE.equals(cs.getStarted()) || Boolean.TRUE.equals(cs.getReady())
                || cs.getState() == null || cs.getState().getRunning() == null || cs.getState().getRunning().getStartedAt() == null) {
            return Optional.empty();
        }
        Instant since = Instant.parse(cs.getState().getRunning().getStartedAt());
        for (PodCondition c : p.getStatus().getConditions() == null ? List.<PodCondition>of() : p.getStatus().getConditions()) {
            boolean unready = "Ready".equals(c.getType()) && "False".equals(c.getStatus());
            boolean started = STARTED_CONDITION.equals(c.getType()) && "True".equals(c.getStatus());
            if ((unready || started) && c.getLastTransitionTime() != null) {
                Instant t = Instant.parse(c.getLastTransitionTime());
                since = t.isAfter(since) ? t : since;
            }
        }
        return Optional.of(since);
    }
}
