package dev.berth.platform.proxy;

import java.util.Map;
import java.util.Objects;

/**
 * Per-revision weights for canary traffic ({@code stable 90, canary 10}): a request first picks a
 * revision by weight, then an endpoint of that revision by the Service's {@link LoadBalancingStrategy}.
 *
 * <ul>
 *   <li>{@link #EQUAL} (no weights): revisions play no part, every endpoint is equal.</li>
 *   <li>With weights, a revision that is not named gets weight 0, so no traffic.</li>
 *   <li>Weights are relative; they need not add up to 100. Revisions without ready endpoints are left
 *       out and the others share their traffic; if no weighted revision has a ready endpoint, every
 *       endpoint is equal again (serving beats honouring a split that cannot be served).</li>
 * </ul>
 * Immutable.
 */
public record TrafficSplit(Map<String, Integer> weights) {

    /** No weights: every endpoint equal. */
    public static final TrafficSplit EQUAL = new TrafficSplit(Map.of());

    public TrafficSplit {
        weights = Map.copyOf(Objects.requireNonNull(weights, "weights"));
        weights.forEach((revision, weight) -> {
            if (revision.isBlank() || weight < 0) {
                throw new IllegalArgumentException("traffic split: weight of revision '" + revision + "' must be >= 0, is " + weight);
            }
        });
        if (!weights.isEmpty() && weights.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            throw new IllegalArgumentException("traffic split: at least one revision needs a weight above 0: " + weights);
        }
    }

    /** Two revisions, e.g. {@code of("7d9f", 90, "5c2a", 10)}. */
    public static TrafficSplit of(String revision, int weight, String otherRevision, int otherWeight) {
        return new TrafficSplit(Map.of(revision, weight, otherRevision, otherWeight));
    }

    public boolean isEqual() {
        return weights.isEmpty();
    }

    public int weightOf(String revision) {
        return weights.getOrDefault(revision, 0);
    }
}
