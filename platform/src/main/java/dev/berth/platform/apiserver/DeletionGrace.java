package dev.berth.platform.apiserver;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a DELETE of a Pod does, decided as kube-apiserver decides it: the generic registry's {@code BeforeDelete}
 * ({@code apiserver/pkg/registry/rest/delete.go}) with the pod strategy's {@code CheckGracefulDelete}. A pure value:
 * the caller writes it.
 *
 * <ul>
 *   <li>A pod not yet terminating gets the grace the request asks for, else its {@code terminationGracePeriodSeconds};
 *       0 when it is not scheduled or has finished (nothing runs); negative means 1 s. It is marked
 *       {@code deletionTimestamp = now + grace}, {@code deletionGracePeriodSeconds = grace}; grace 0 deletes it now.
 *   <li>A terminating pod's grace may only be shortened, never lengthened: a shorter request moves the
 *       deletionTimestamp earlier by the difference (never into the past: then now, and 1 s unless 0 was asked); an
 *       equal or longer one, or none, changes nothing (pending). A pod whose grace is already 0 is deleted now.
 * </ul>
 *
 * @param graceful                   the marks below are to be written (upstream's {@code graceful})
 * @param pending                    a graceful deletion is already under way and stays as it is ({@code gracefulPending})
 * @param deletionTimestamp          the pod's deletionTimestamp after the decision (RFC 3339, seconds), null if none
 * @param deletionGracePeriodSeconds the pod's deletionGracePeriodSeconds after the decision
 * @param gracePeriodSeconds         the request's grace period after defaulting (upstream's {@code options.GracePeriodSeconds})
 */
public record DeletionGrace(boolean graceful, boolean pending, String deletionTimestamp, Long deletionGracePeriodSeconds, Long gracePeriodSeconds) {

    /** The API's default {@code terminationGracePeriodSeconds}, for a pod stored without it. */
    public static final long DEFAULT_GRACE_SECONDS = 30;

    /** What the storage does with the pod. */
    public enum Action {
        /** Remove it from the store now (its finalizers permitting). */
        DELETE_NOW,
        /** Write {@link #deletionTimestamp} and {@link #deletionGracePeriodSeconds}; its kubelet finishes it. */
        MARK_TERMINATING,
        /** Already terminating at least this soon: nothing changes. */
        NONE
    }

    /**
     * @param requested the request's {@code gracePeriodSeconds}, null when it gives none (a controller's delete)
     * @param now       the server's clock
     */
    public static DeletionGrace decide(Pod pod, Long requested, Instant now) {
        now = now.truncatedTo(ChronoUnit.SECONDS);
        Long asked = requested != null && requested < 0 ? Long.valueOf(1) : requested;
        var meta = pod.getMetadata();
        Long current = meta.getDeletionGracePeriodSeconds() != null && meta.getDeletionGracePeriodSeconds() < 0 ? Long.valueOf(1)
                : meta.getDeletionGracePeriodSeconds();
        if (meta.getDeletionTimestamp() != null) {
            String since = meta.getDeletionTimestamp();
            if (current == null || current == 0) {
                return new DeletionGrace(false, false, since, current, asked); // marked with no grace left: finish it
            }
            if (asked == null) {
                return new DeletionGrace(false, true, since, current, current);
            }
            if (asked >= current) {
                return new DeletionGrace(false, true, since, current, asked);
            }
            Instant shortened = Instant.parse(since).minusSeconds(current).plusSeconds(asked);
            long period = asked;
            if (shortened.isBefore(now)) {
                // the whole grace has passed: as soon as possible, still graceful unless 0 was asked
                shortened = now;
                period = period == 0 ? 0 : 1;
            }
            return new DeletionGrace(true, false, shortened.toString(), period, asked);
        }
        long period = podGrace(pod, asked);
        return new DeletionGrace(true, false, now.plusSeconds(period).toString(), period, period);
    }

    /** The pod strategy's {@code CheckGracefulDelete}: the grace a first delete gets. */
    private static long podGrace(Pod pod, Long asked) {
        var spec = pod.getSpec();
        long period = asked != null ? asked
                : spec != null && spec.getTerminationGracePeriodSeconds() != null ? spec.getTerminationGracePeriodSeconds() : DEFAULT_GRACE_SECONDS;
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (spec == null || spec.getNodeName() == null || spec.getNodeName().isEmpty() || "Failed".equals(phase) || "Succeeded".equals(phase)) {
            period = 0; // nothing runs it, or nothing runs any more
        }
        return period < 0 ? 1 : period;
    }

    public Action action() {
        if (pending) {
            return Action.NONE;
        }
        return graceful && deletionGracePeriodSeconds != null && deletionGracePeriodSeconds > 0 ? Action.MARK_TERMINATING : Action.DELETE_NOW;
    }
}
