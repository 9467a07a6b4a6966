package dev.berth.platform.controller;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Optional;

/**
 * The HorizontalPodAutoscaler's arithmetic ({@code pkg/controller/podautoscaler/horizontal.go}), pure: the largest
 * of the metrics' proposals ({@link MetricReplicas}), clamped to min/max, and the stabilisation windows that keep it from flapping. Thread-safe except {@link Recommendations}, which is owned by
 * one HPA's reconcile.
 */
public final class HorizontalScaling {

    /** Ratios within 10 % of 1 change nothing (the controller-manager's --horizontal-pod-autoscaler-tolerance). */
    public static final double TOLERANCE = 0.1;

    private HorizontalScaling() {}

    /**
     * Over every metric the largest proposal wins (the HPA scales for the most loaded metric), within [min, max];
     * no proposal keeps {@code current}, within the bounds. Each proposal is {@link MetricReplicas}'.
     *
     * <p>Worked example: cpu asks for 3, requests_per_second for 9, bounds [1, 5] → 5.
     */
    public static int desired(int current, Collection<Integer> proposals, int min, int max) {
        int wanted = proposals.stream().mapToInt(Integer::intValue).max().orElse(current);
        return Math.max(min, Math.min(max, wanted));
    }

    /** The controller-manager's scale-up limit for an HPA without behavior: at most twice the replicas, or 4. */
    static final int SCALE_UP_LIMIT_FACTOR = 2;
    static final int SCALE_UP_LIMIT_MINIMUM = 4;

    /**
     * {@code convertDesiredReplicasWithRules}, for an HPA without {@code behavior}: within [max(min, 1), max] and
     * at most {@code max(2 × current, 4)} at once, so one bogus reading cannot multiply the replicas.
     *
     * <p>Worked example: 3 replicas asked to go to 1000, max 2000 → 6; 20 replicas to 1000, max 10 → 10.
     */
    public static int withinRules(int current, int desired, int min, int max) {
        int scaleUpLimit = Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
        int upper = Math.min(max, scaleUpLimit);
        int lower = Math.max(min, 1);
        return desired < lower ? lower : Math.min(desired, upper);
    }

    /**
     * Recent proposals of one HPA, for the stabilisation windows: scale down only to the highest proposal of the
     * down window (so a dip does not remove replicas a minute before the next peak needs them), scale up only to
     * the lowest proposal of the up window (default 0 s: at once).
     */
    public static final class Recommendations {
        private record Entry(Instant at, int replicas) {}

        private final Deque<Entry> entries = new ArrayDeque<>();

        public int stabilised(int current, int proposal, Instant now, Duration upWindow, Duration downWindow) {
            entries.addLast(new Entry(now, proposal));
            Duration keep = upWindow.compareTo(downWindow) > 0 ? upWindow : downWindow;
            while (!entries.isEmpty() && entries.peekFirst().at().isBefore(now.minus(keep))) {
                entries.removeFirst();
            }
            if (proposal > current) {
                return Math.max(current, minSince(now.minus(upWindow)).orElse(proposal));
            }
            if (proposal < current) {
                return Math.min(current, maxSince(now.minus(downWindow)).orElse(proposal));
            }
            return current;
        }

        /**
         * {@code stabilizeRecommendation}, for an HPA without {@code behavior}: the highest proposal of the down
         * window, this one included, whichever way it goes.
         */
        public int highestOfWindow(int proposal, Instant now, Duration downWindow) {
            entries.addLast(new Entry(now, proposal));
            while (!entries.isEmpty() && entries.peekFirst().at().isBefore(now.minus(downWindow))) {
                entries.removeFirst();
            }
            return maxSince(now.minus(downWindow)).orElse(proposal);
        }

        private Optional<Integer> minSince(Instant from) {
            return entries.stream().filter(e -> !e.at().isBefore(from)).map(Entry::replicas).min(Integer::compare);
        }

        private Optional<Integer> maxSince(Instant from) {
            return entries.stream().filter(e -> !e.at().isBefore(from)).map(Entry::replicas).max(Integer::compare);
        }
    }
}
