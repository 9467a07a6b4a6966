package dev.berth.platform.controller;

import dev.berth.platform.model.PodStatuses;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The replicas one HPA metric asks for, as kube-controller-manager's replica calculator computes them
 * ({@code pkg/controller/podautoscaler/replica_calculator.go}, {@code GetResourceReplicas} and
 * {@code GetMetricReplicas}): the usage ratio is applied to the pods that were measured, not to the target's
 * spec.replicas; pending and (for cpu) unready or still-starting pods are set aside, pods without a sample are
 * "missing". When either set is not empty the ratio is computed again with the missing pods at 100 % of their
 * request on a scale-down and 0 % on a scale-up, and the set-aside pods at 0 % on a scale-up; a result that would
 * turn the direction round, or that is within the tolerance, keeps the current replicas. Pure, thread-safe.
 *
 * <p>Worked example ({@code TestReplicaCalcScaleUpUnreadyLessScale}): 3 pods requesting 1 cpu each, using 300m
 * (unready), 500m and 700m, target 30 %. The ready pods use 1200m of 2000m → 60 % → ratio 2.0 → scale up; the
 * unready pod counts as 0: 1200m of 3000m → 40 % → ratio 1.33 → ceil(1.33 × 3) = 4 (not 6 = 2.0 × 3 replicas).
 */
public final class MetricReplicas {

    /** The controller-manager's defaults: --horizontal-pod-autoscaler-cpu-initialization-period, -initial-readiness-delay. */
    public static final Duration CPU_INITIALIZATION_PERIOD = Duration.ofMinutes(5);
    public static final Duration INITIAL_READINESS_DELAY = Duration.ofSeconds(30);

    private MetricReplicas() {}

    /** The pod's Ready condition: its status and when it last changed. */
    public record ReadyCondition(boolean ready, Instant lastTransition) {}

    /**
     * A pod the target's selector matches.
     *
     * @param ready        null when the pod has no Ready condition
     * @param startTime    null when the pod has not started
     * @param requestMilli the sum of its containers' requests in milli-units, null if one container requests none
     */
    public record PodState(String name, String phase, boolean deleting, ReadyCondition ready, Instant startTime, Long requestMilli) {}

    /** The metric values by pod name, in milli-units, and the time and window they were taken over. */
    public record Samples(Map<String, Long> milliByPod, Instant timestamp, Duration window) {}

    /** How long a started pod's cpu may still be that of its start-up, and how long its first readiness may take. */
    public record Timing(double tolerance, Duration cpuInitializationPeriod, Duration initialReadinessDelay, Instant now) {

        public static Timing defaults(Instant now) {
            return new Timing(HorizontalScaling.TOLERANCE, CPU_INITIALIZATION_PERIOD, INITIAL_READINESS_DELAY, now);
        }
    }

    /**
     * @param utilization  for a resource: total use over total requests of the measured pods, in whole %;
     *                     for a pods metric: the average value in milli-units (both truncated, as upstream)
     * @param averageMilli the average value per measured pod in milli-units
     */
    public record Recommendation(int replicas, long utilization, long averageMilli) {}

    /** The metric cannot drive scaling; the message is kube-controller-manager's. */
    public static final class Unmeasurable extends RuntimeException {
        Unmeasurable(String message) {
            super(message);
        }
    }

    private record Groups(int ready, Set<String> ignored, Set<String> missing) {}

    /**
     * {@code GetResourceReplicas} for a {@code Resource} metric with an {@code averageUtilization} target.
     *
     * @throws Unmeasurable no samples, no pods, a container without a request, no sample of any ready pod
     */
    public static Recommendation forResource(int current, int targetPercent, boolean cpu, List<PodState> pods, Samples samples, Timing timing) {
        if (samples.milliByPod().isEmpty()) {
            throw new Unmeasurable("no metrics returned from resource metrics API");
        }
        if (pods.isEmpty()) {
            throw new Unmeasurable("no pods returned by selector while calculating replica count");
        }
        Groups groups = group(pods, samples, cpu, timing);
        Map<String, Long> requests = new HashMap<>();
        for (PodState p : pods) {
            if (p.requestMilli() == null) {
                throw new Unmeasurable("missing request for " + (cpu ? "cpu" : "the resource") + " in pod " + p.name());
            }
            requests.put(p.name(), p.requestMilli());
        }
        Map<String, Long> metrics = new HashMap<>(samples.milliByPod());
        metrics.keySet().removeAll(groups.ignored());
        if (metrics.isEmpty()) {
            throw new Unmeasurable("did not receive metrics for any ready pods");
        }
        Utilization first = utilization(metrics, requests, targetPercent);
        double ratio = first.ratio();
        boolean rebalanceIgnored = !groups.ignored().isEmpty() && ratio > 1.0;
        if (!rebalanceIgnored && groups.missing().isEmpty()) {
            int replicas = Math.abs(1.0 - ratio) <= timing.tolerance() ? current : (int) Math.ceil(ratio * groups.ready());
            return new Recommendation(replicas, first.percent(), first.averageMilli());
        }
        for (String pod : groups.missing()) {
            if (ratio < 1.0) {
                metrics.put(pod, requests.get(pod)); // a scale-down must not count on them being idle
            } else if (ratio > 1.0) {
                metrics.put(pod, 0L); // a scale-up must not count on them being busy
            }
        }
        if (rebalanceIgnored) {
            groups.ignored().forEach(pod -> metrics.put(pod, 0L));
        }
        double again = utilization(metrics, requests, targetPercent).ratio();
        int replicas = (int) Math.ceil(again * metrics.size());
        boolean keep = Math.abs(1.0 - again) <= timing.tolerance() || oppositeDirections(ratio, again)
                || (again < 1.0 && replicas > current) || (again > 1.0 && replicas < current);
        return new Recommendation(keep ? current : replicas, first.percent(), first.averageMilli());
    }

    /**
     * {@code GetMetricReplicas} for a {@code Pods} metric with an {@code averageValue} target (milli-units): the
     * average over the pods with a sample; readiness does not set pods aside, only pending ones are.
     *
     * <p>Worked example ({@code TestReplicaCalcScaleUpCM}): 3 pods at 20, 10 and 30 for a target of 15 → average 20
     * → ratio 1.33 → ceil(1.33 × 3) = 4.
     *
     * @throws Unmeasurable no pods, or no sample of any pod that is not pending
     */
    public static Recommendation forPodsMetric(int current, long targetMilli, List<PodState> pods, Samples samples, Timing timing) {
        if (pods.isEmpty()) {
            throw new Unmeasurable("no pods returned by selector while calculating replica count");
        }
        Groups groups = group(pods, samples, false, timing);
        Map<String, Long> metrics = new HashMap<>(samples.milliByPod());
        metrics.keySet().removeAll(groups.ignored());
        if (metrics.isEmpty()) {
            throw new Unmeasurable("did not receive metrics for any ready pods");
        }
        long average = average(metrics);
        double ratio = (double) average / targetMilli;
        boolean rebalanceIgnored = !groups.ignored().isEmpty() && ratio > 1.0;
        if (!rebalanceIgnored && groups.missing().isEmpty()) {
            int replicas = Math.abs(1.0 - ratio) <= timing.tolerance() ? current : (int) Math.ceil(ratio * groups.ready());
            return new Recommendation(replicas, average, average);
        }
        for (String pod : groups.missing()) {
            metrics.put(pod, ratio < 1.0 ? targetMilli : 0L);
        }
        if (rebalanceIgnored) {
            groups.ignored().forEach(pod -> metrics.put(pod, 0L));
        }
        double again = (double) average(metrics) / targetMilli;
        boolean keep = Math.abs(1.0 - again) <= timing.tolerance() || oppositeDirections(ratio, again);
        return new Recommendation(keep ? current : (int) Math.ceil(again * metrics.size()), average, average);
    }

    /**
     * {@code groupPods}: deleted and failed pods do not count; pending ones are set aside; a pod without a sample is
     * missing. For cpu, a pod is also set aside while its start-up cpu may still show (within the initialisation
     * period: unready, or its sample's window began before it became ready) and, after it, while it has never been
     * ready (unready and its readiness last changed within the initial delay after its start).
     */
    private static Groups group(List<PodState> pods, Samples samples, boolean cpu, Timing timing) {
        int ready = 0;
        Set<String> ignored = new HashSet<>();
        Set<String> missing = new HashSet<>();
        for (PodState p : pods) {
            if (p.deleting() || PodStatuses.FAILED.equals(p.phase())) {
                continue;
            }
            if (PodStatuses.PENDING.equals(p.phase())) {
                ignored.add(p.name());
            } else if (!samples.milliByPod().containsKey(p.name())) {
                missing.add(p.name());
            } else if (cpu && startingUp(p, samples, timing)) {
                ignored.add(p.name());
            } else {
                ready++;
            }
        }
        return new Groups(ready, ignored, missing);
    }

    private static boolean startingUp(PodState p, Samples samples, Timing timing) {
        ReadyCondition c = p.ready();
        if (c == null || p.startTime() == null) {
            return true;
        }
        if (p.startTime().plus(timing.cpuInitializationPeriod()).isAfter(timing.now())) {
            return !c.ready() || samples.timestamp().isBefore(c.lastTransition().plus(samples.window()));
        }
        return !c.ready() && p.startTime().plus(timing.initialReadinessDelay()).isAfter(c.lastTransition());
    }

    private record Utilization(double ratio, long percent, long averageMilli) {}

    /** {@code GetResourceUtilizationRatio}: total use over total requests of the pods with both, in whole %. */
    private static Utilization utilization(Map<String, Long> metrics, Map<String, Long> requests, int targetPercent) {
        long used = 0;
        long requested = 0;
        int entries = 0;
        for (Map.Entry<String, Long> e : metrics.entrySet()) {
            Long request = requests.get(e.getKey());
            if (request != null) { // a sample of a pod the selector no longer matches is left out
                used += e.getValue();
                requested += request;
                entries++;
            }
        }
        if (requested == 0) {
            throw new Unmeasurable("no metrics returned matched known pods");
        }
        long percent = used * 100 / requested;
        return new Utilization((double) percent / targetPercent, percent, used / entries);
    }

    private static long average(Map<String, Long> metrics) {
        return metrics.values().stream().mapToLong(Long::longValue).sum() / metrics.size();
    }

    private static boolean oppositeDirections(double before, double after) {
        return (before < 1.0 && after > 1.0) || (before > 1.0 && after < 1.0);
    }
}
