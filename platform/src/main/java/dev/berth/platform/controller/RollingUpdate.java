package dev.berth.platform.controller;

import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * The RollingUpdate arithmetic of Kubernetes' Deployment controller ({@code pkg/controller/deployment/util} and
 * {@code rolling.go}), as pure functions. Pure, thread-safe.
 */
public final class RollingUpdate {

    /** Kubernetes' defaults for both fields when the manifest gives none. */
    public static final IntOrString DEFAULT_MAX_SURGE = new IntOrString("25%");
    public static final IntOrString DEFAULT_MAX_UNAVAILABLE = new IntOrString("25%");

    private RollingUpdate() {}

    /** How many pods above desired may exist, and how many below desired may be unavailable, during a rollout. */
    public record Fenceposts(int maxSurge, int maxUnavailable) {}

    /**
     * Resolves maxSurge and maxUnavailable against the desired replicas: percentages of {@code desired}, surge
     * rounded up, unavailable rounded down; if both come out 0, unavailable becomes 1 so the rollout can move.
     *
     * <p>Worked example: desired 10, maxSurge 25%, maxUnavailable 25% → surge ceil(2.5) = 3, unavailable
     * floor(2.5) = 2. Desired 1, 25%/25% → surge 1, unavailable 0. Desired 3, 0/0 → surge 0, unavailable 1.
     *
     * @throws IllegalArgumentException for a value that is neither an integer nor {@code N%}, or negative
     */
    public static Fenceposts fenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int desired) {
        int surge = scaled(maxSurge == null ? DEFAULT_MAX_SURGE : maxSurge, desired, true);
        int unavailable = scaled(maxUnavailable == null ? DEFAULT_MAX_UNAVAILABLE : maxUnavailable, desired, false);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new Fenceposts(surge, unavailable);
    }

    /**
     * An int-or-percent against a total, as {@code intstr.GetScaledValueFromIntOrPercent}: {@code "30%"} of 7
     * is 2.1 → 3 rounded up, 2 rounded down.
     */
    public static int scaled(IntOrString value, int total, boolean roundUp) {
        if (value.getIntVal() != null) {
            return requireNonNegative(value.getIntVal(), value);
        }
        String s = value.getStrVal() == null ? "" : value.getStrVal().trim();
        if (!s.endsWith("%")) {
            try {
                return requireNonNegative(Integer.parseInt(s), value); // "1" from a generator that quoted an integer
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be an integer or a percentage like \"25%\", was \"" + s + "\"");
            }
        }
        int percent;
        try {
            percent = requireNonNegative(Integer.parseInt(s.substring(0, s.length() - 1)), value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an integer or a percentage like \"25%\", was \"" + s + "\"");
        }
        long product = (long) percent * total;
        return (int) (roundUp ? (product + 99) / 100 : product / 100);
    }

    private static int requireNonNegative(int v, IntOrString original) {
        if (v < 0) {
            throw new IllegalArgumentException("must not be negative, was " + (original.getIntVal() != null ? original.getIntVal() : original.getStrVal()));
        }
        return v;
    }

    /**
     * The new ReplicaSet's next size ({@code NewRSNewReplicas}): grow it as far as the surge allows, never past
     * desired.
     *
     * <p>Worked example: desired 3, surge 1, all ReplicaSets together want 3 pods, the new one 0 → it may grow by
     * (3 + 1) − 3 = 1 → 1. Next pass, after an old pod went: total 3, new 1 → 2.
     *
     * @param totalReplicas the spec replicas of every ReplicaSet of the Deployment, new and old
     */
    public static int newReplicaSetReplicas(int desired, int maxSurge, int totalReplicas, int newReplicas) {
        int maxTotal = desired + maxSurge;
        if (totalReplicas >= maxTotal) {
            return newReplicas;
        }
        int scaleUp = Math.min(maxTotal - totalReplicas, desired - newReplicas);
        return newReplicas + Math.max(0, scaleUp);
    }

    /**
     * How many old pods may go now without dropping below {@code desired − maxUnavailable} available pods, counting
     * the new ReplicaSet's not-yet-available pods as unavailable ({@code reconcileOldReplicaSets}).
     *
     * <p>Worked example: desired 3, unavailable 0, the new ReplicaSet wants 1 of which 0 are available, total 4 →
     * 4 − 3 − 1 = 0: nothing may go until the new pod is available; once it is: 4 − 3 − 0 = 1.
     */
    public static int maxScaledDown(int desired, int maxUnavailable, int totalReplicas, int newReplicas, int newAvailable) {
        int minAvailable = desired - maxUnavailable;
        int newUnavailable = Math.max(0, newReplicas - newAvailable);
        return totalReplicas - minAvailable - newUnavailable;
    }

    /**
     * Of the available pods, how many old ones may be scaled down so that {@code desired − maxUnavailable} stay
     * available ({@code scaleDownOldReplicaSetsForRollingUpdate}).
     *
     * <p>Worked example: desired 3, unavailable 0, 4 available (3 old + 1 new) → 1.
     */
    public static int availableScaleDown(int desired, int maxUnavailable, int totalAvailable) {
        return Math.max(0, totalAvailable - (desired - maxUnavailable));
    }

    /**
     * {@code cleanupUnhealthyReplicas}: the old ReplicaSets, oldest first, lose their pods that are not available,
     * at most {@code maxCleanup} in all; removing those costs no availability.
     *
     * <p>Worked example: one old ReplicaSet of 10 with 8 available, at most 1 → [9]; at most 3 → [8].
     *
     * @param replicas  the old ReplicaSets' spec replicas, oldest first
     * @param available their available pods, in the same order
     * @return their sizes afterwards, in the same order
     */
    public static int[] withoutUnhealthy(int[] replicas, int[] available, int maxCleanup) {
        int[] next = replicas.clone();
        int budget = Math.max(0, maxCleanup);
        for (int i = 0; i < next.length && budget > 0; i++) {
            int cut = Math.min(budget, Math.max(0, next[i] - available[i]));
            next[i] -= cut;
            budget -= cut;
        }
        return next;
    }

    /**
     * {@code scaleDownOldReplicaSetsForRollingUpdate}: the old ReplicaSets shrink by {@code count} pods in all,
     * oldest first.
     *
     * <p>Worked example: [2, 5] by 3 → [0, 4].
     */
    public static int[] scaledDownOldestFirst(int[] replicas, int count) {
        int[] next = replicas.clone();
        int left = Math.max(0, count);
        for (int i = 0; i < next.length && left > 0; i++) {
            int cut = Math.min(next[i], left);
            next[i] -= cut;
            left -= cut;
        }
        return next;
    }
}
