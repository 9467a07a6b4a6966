package dev.berth.platform.scheduler.model;

import java.util.Objects;

/**
 * How evenly pods matching {@code labelSelector} must be spread over the domains of {@code topologyKey}.
 * A {@code null} selector matches no pod (Kubernetes' nil selector); {@code matchLabelKeys} are merged
 * into the selector when converting from a Pod.
 */
public record TopologySpreadConstraint(int maxSkew, String topologyKey, WhenUnsatisfiable whenUnsatisfiable,
                                       LabelSelector labelSelector) {

    public enum WhenUnsatisfiable { DO_NOT_SCHEDULE, SCHEDULE_ANYWAY }

    public TopologySpreadConstraint {
        if (maxSkew < 1) {
            throw new IllegalArgumentException("maxSkew must be at least 1, got " + maxSkew);
        }
        Objects.requireNonNull(topologyKey, "topologyKey");
        Objects.requireNonNull(whenUnsatisfiable, "whenUnsatisfiable");
    }

    public boolean isHard() {
        return whenUnsatisfiable == WhenUnsatisfiable.DO_NOT_SCHEDULE;
    }
}
