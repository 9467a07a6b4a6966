package dev.berth.platform.controller;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The HorizontalPodAutoscaler's arithmetic ({@code pkg/controller/podautoscaler}), pure: replicas from a metric's
 * ratio to its target with a tolerance, the largest proposal over several metrics, clamped to min/max, and the
 * stabilisation windows that keep it from flapping. Thread-safe except {@link Recommendations}, which is owned by
 * one HPA's reconcile.
 */
public final class HorizontalScaling {

    /** Ratios within 10 % of 1 change nothing (the controller-manager's --horizontal-pod-autoscaler-tolerance). */
    public static final double TOLERANCE = 0.1;

    private HorizontalScaling() {}

    /** One metric's measurement beside its target, per pod: cpu utilisation % of requests, or requests per second. */
    public record MetricValue(String name, double currentPerPod, double targetPerPod) {}

    /**
     * Replicas one metric asks for: {@code ceil(current × value / target)}, or {@code current} within the
     * tolerance.
     *
     * <p>Worked example: 2 replicas at 90 % cpu for a 50 % target → ratio 1.8 → ceil(3.6) = 4. At 52 % → ratio 1.04,
     * within 10 % → stays 2. At 20 % → ratio 0.4 → ceil(0.8) = 1.
     */
    public static int proposal(int current, MetricValue m) {
        if (m.targetPerPod() <= 0 || current == 0) {
            return current;
        }
        double ratio = m.currentPerPod() / m.targetPerPod();
        if (Math.abs(ratio - 1.0) <= TOLERANCE) {
            return current;
        }
        return (int) Math.ceil(current * ratio);
    }

    /** Over every metric the largest proposal wins (the HPA scales for the most loaded metric), within [min, max]. */
    public static int desired(int current, List<MetricValue> metrics, int min, int max) {
        int wanted = metrics.stream().mapToInt(m -> proposal(current, m)).max().orElse(current);
        return Math.max(min, Math.min(max, wanted));
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

        private Optional<Integer> minSince(Instant from) {
            return entries.stream().filter(e -> !e.at().isBefore(from)).map(Entry::replicas).min(Integer::compare);
        }

        private Optional<Integer> maxSince(Instant from) {
            return entries.stream().filter(e -> !e.at().isBefore(from)).map(Entry::replicas).max(Integer::compare);
        }
    }
}
