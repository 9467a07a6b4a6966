package dev.berth.platform.controller;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerConditionBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatusBuilder;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HorizontalPodAutoscaler controller ({@code autoscaling/v2}) for Deployments: every sync period it measures
 * each metric over the Deployment's pods — {@code Resource cpu} as their total use over their total cpu requests,
 * or the {@code Pods} metric {@value #REQUEST_RATE_METRIC} (requests per second through the Services in front of
 * the pods, from the proxies) against an {@code AverageValue} — turns each into replicas as Kubernetes' replica
 * calculator does ({@link MetricReplicas}: unready and unmeasured pods do not inflate a scale-up nor deepen a
 * scale-down) and scales the Deployment to the largest ({@link HorizontalScaling}),
 * stabilised by the behavior's windows (up at once, down over 300 s unless set); without a behavior as the
 * controller-manager does it: the highest proposal of 300 s, and at most max(2 × current, 4) at once. Every rescale is a
 * {@code SuccessfulRescale} event; what cannot be measured is a {@code ScalingActive=False} condition with the reason.
 */
public final class AutoscalerController implements Reconciler {

    public static final String REQUEST_RATE_METRIC = "requests_per_second";
    static final String CPU_METRIC = "cpu resource utilization (percentage of request)";
    static final Duration DEFAULT_DOWN_WINDOW = Duration.ofSeconds(300);

    private final ObjectStore store;
    private final EventRecorder events;
    private final PodUsage usage;
    private final Clock clock;
    private final Duration syncPeriod;
    private final Map<ObjectKey, HorizontalScaling.Recommendations> recommendations = new ConcurrentHashMap<>();

    public AutoscalerController(ObjectStore store, EventRecorder events, PodUsage usage, Clock clock, Duration syncPeriod) {
        this.store = store;
        this.events = events;
        this.usage = usage;
        this.clock = clock;
        this.syncPeriod = syncPeriod;
    }

    /** What the metrics asked for: each one's replicas by name, their statuses, and what could not be measured. */
    private record Measured(Map<String, Integer> proposals, List<MetricStatus> statuses, List<String> problems) {}

    @Override
    public ReconcileResult reconcile(ObjectKey key) {
        Optional<HorizontalPodAutoscaler> found = store.get(key);
        if (found.isEmpty()) {
            recommendations.remove(key);
            return ReconcileResult.noChange();
        }
        HorizontalPodAutoscaler hpa = found.get();
        Instant now = clock.instant();
        var ref = hpa.getSpec().getScaleTargetRef();
        Optional<Deployment> target = "Deployment".equals(ref.getKind())
                ? store.get(new ObjectKey(ResourceKind.DEPLOYMENT, key.namespace(), ref.getName())) : Optional.empty();
        if (target.isEmpty()) {
            write(key, hpa, status(hpa, 0, 0, List.of(), condition(hpa, "AbleToScale", false, "FailedGetScale",
                    "the HPA controller was unable to get the target's current scale: " + ref.getKind() + " " + ref.getName()
                            + ("Deployment".equals(ref.getKind()) ? " not found" : " (Berth autoscales Deployments only)"), now), null, now));
            return ReconcileResult.requeueAfter(syncPeriod);
        }
        Deployment d = target.get();
        int current = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        // every pod of the selector: the replica calculation itself leaves out failed and terminating ones
        List<Pod> pods = store.list(ResourceKind.POD, key.namespace(), d.getSpec().getSelector());
        Measured m = measure(hpa, key, current, pods, now);
        int min = hpa.getSpec().getMinReplicas() == null ? 1 : hpa.getSpec().getMinReplicas();
        int max = hpa.getSpec().getMaxReplicas();
        int desired = current;
        HorizontalPodAutoscalerCondition active;
        if (!m.problems().isEmpty()) {
            active = condition(hpa, "ScalingActive", false, "FailedGetMetrics", String.join("; ", m.problems()), now);
        } else if (current == 0) {
            active = condition(hpa, "ScalingActive", false, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero", now);
        } else {
            active = condition(hpa, "ScalingActive", true, "ValidMetricFound", "the HPA was able to successfully calculate a replica count", now);
            int proposal = HorizontalScaling.desired(current, m.proposals().values(), min, max);
            HorizontalScaling.Recommendations recent = recommendations.computeIfAbsent(key, k -> new HorizontalScaling.Recommendations());
            if (hpa.getSpec().getBehavior() == null) { // normalizeDesiredReplicas: the controller's defaults, not behavior's
                int unbounded = HorizontalScaling.desired(current, m.proposals().values(), 0, Integer.MAX_VALUE);
                desired = HorizontalScaling.withinRules(current, recent.highestOfWindow(unbounded, now, DEFAULT_DOWN_WINDOW), min, max);
            } else {
                desired = recent.stabilised(current, proposal, now, window(hpa, true), window(hpa, false));
                desired = Math.max(min, Math.min(max, desired));
            }
        }
        String lastScale = hpa.getStatus() == null ? null : hpa.getStatus().getLastScaleTime();
        if (desired != current) {
            int to = desired;
            store.<Deployment>mutate(ObjectKey.of(d), x -> {
                x.getSpec().setReplicas(to);
                return x;
            });
            events.normal(hpa, "horizontal-pod-autoscaler", "SuccessfulRescale", "New size: " + desired + "; reason: " + reason(m.proposals(), desired > current));
            lastScale = now.toString();
        }
        HorizontalPodAutoscalerStatus status = status(hpa, current, desired, m.statuses(), active, lastScale, now);
        write(key, hpa, status);
        return (desired != current ? ReconcileResult.changedState() : ReconcileResult.noChange()).andRequeueAfter(syncPeriod);
    }

    private Measured measure(HorizontalPodAutoscaler hpa, ObjectKey key, int current, List<Pod> pods, Instant now) {
        Map<String, Integer> proposals = new LinkedHashMap<>();
        List<MetricStatus> statuses = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<MetricSpec> metrics = hpa.getSpec().getMetrics() == null || hpa.getSpec().getMetrics().isEmpty()
                ? List.of(defaultCpuMetric()) : hpa.getSpec().getMetrics();
        List<MetricReplicas.PodState> states = pods.stream().map(AutoscalerController::state).toList();
        MetricReplicas.Timing timing = MetricReplicas.Timing.defaults(now);
        for (MetricSpec spec : metrics) {
            try {
                if ("Resource".equals(spec.getType()) && spec.getResource() != null && "cpu".equals(spec.getResource().getName())
                        && spec.getResource().getTarget() != null && spec.getResource().getTarget().getAverageUtilization() != null) {
                    MetricReplicas.Recommendation r = MetricReplicas.forResource(current, spec.getResource().getTarget().getAverageUtilization(), true,
                            states, cpuSamples(pods, now), timing);
                    proposals.put(CPU_METRIC, r.replicas());
                    statuses.add(new MetricStatusBuilder().withType("Resource").withNewResource().withName("cpu").withNewCurrent()
                            .withAverageUtilization((int) r.utilization()).withAverageValue(new Quantity(r.averageMilli() + "m")).endCurrent()
                            .endResource().build());
                } else if ("Pods".equals(spec.getType()) && spec.getPods() != null && REQUEST_RATE_METRIC.equals(spec.getPods().getMetric().getName())
                        && spec.getPods().getTarget() != null && spec.getPods().getTarget().getAverageValue() != null) {
                    long target = milli(spec.getPods().getTarget().getAverageValue());
                    MetricReplicas.Recommendation r = MetricReplicas.forPodsMetric(current, target, states, rateSamples(key, pods, now), timing);
                    proposals.put(REQUEST_RATE_METRIC, r.replicas());
                    statuses.add(new MetricStatusBuilder().withType("Pods").withNewPods().withNewMetric().withName(REQUEST_RATE_METRIC).endMetric()
                            .withNewCurrent().withAverageValue(new Quantity(r.averageMilli() + "m")).endCurrent().endPods().build());
                } else {
                    problems.add("unsupported metric (type " + spec.getType() + "): Berth measures Resource cpu with averageUtilization and Pods "
                            + REQUEST_RATE_METRIC + " with averageValue");
                }
            } catch (MetricReplicas.Unmeasurable e) {
                problems.add("failed to get " + ("Resource".equals(spec.getType()) ? "cpu utilization" : REQUEST_RATE_METRIC) + ": " + e.getMessage());
            }
        }
        return new Measured(proposals, statuses, problems);
    }

    /** A pod as the replica calculation reads it; its cpu request is null when a container has none. */
    private static MetricReplicas.PodState state(Pod p) {
        Long request = 0L;
        for (Container c : p.getSpec().getContainers()) {
            Quantity q = c.getResources() == null || c.getResources().getRequests() == null ? null : c.getResources().getRequests().get("cpu");
            request = q == null || request == null ? null : request + milli(q);
        }
        PodCondition ready = p.getStatus() == null || p.getStatus().getConditions() == null ? null
                : p.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
        Instant since = ready == null || ready.getLastTransitionTime() == null ? Instant.EPOCH : Instant.parse(ready.getLastTransitionTime());
        String started = p.getStatus() == null ? null : p.getStatus().getStartTime();
        return new MetricReplicas.PodState(p.getMetadata().getName(), PodStatuses.phase(p), PodStatuses.isTerminating(p),
                ready == null ? null : new MetricReplicas.ReadyCondition("True".equals(ready.getStatus()), since),
                started == null ? null : Instant.parse(started), request);
    }

    /** Each pod's cpu over the last sync period, in millicores; a pod not running or sampled for the first time has none. */
    private MetricReplicas.Samples cpuSamples(List<Pod> pods, Instant now) {
        Map<String, Long> milli = new HashMap<>();
        for (Pod p : pods) {
            OptionalDouble cores = usage.cpuCores(p);
            if (cores.isPresent()) {
                milli.put(p.getMetadata().getName(), Math.round(cores.getAsDouble() * 1000));
            }
        }
        return new MetricReplicas.Samples(milli, now, syncPeriod);
    }

    /**
     * The request rate through the Services, spread over the ready pods: only they are endpoints, so only they
     * receive requests; the others have no sample (missing, in the replica calculation's terms).
     */
    private MetricReplicas.Samples rateSamples(ObjectKey key, List<Pod> pods, Instant now) {
        List<Pod> ready = pods.stream().filter(PodStatuses::isActive).filter(PodStatuses::isReady).toList();
        OptionalDouble rate = usage.requestRate(key.toString(), ready);
        Map<String, Long> milli = new HashMap<>();
        if (rate.isPresent() && !ready.isEmpty()) {
            long perPod = Math.round(rate.getAsDouble() * 1000 / ready.size());
            ready.forEach(p -> milli.put(p.getMetadata().getName(), perPod));
        }
        return new MetricReplicas.Samples(milli, now, syncPeriod);
    }

    /** A quantity in milli-units, rounded up as {@code resource.Quantity.MilliValue}. */
    private static long milli(Quantity q) {
        try {
            return q.getNumericalAmount().movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
        } catch (ArithmeticException e) {
            throw new MetricReplicas.Unmeasurable("quantity " + q + " is out of range");
        }
    }

    private static MetricSpec defaultCpuMetric() {
        // autoscaling/v2 without metrics: 80 % average cpu utilisation
        return new io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder().withType("Resource").withNewResource().withName("cpu")
                .withNewTarget().withType("Utilization").withAverageUtilization(80).endTarget().endResource().build();
    }

    private static Duration window(HorizontalPodAutoscaler hpa, boolean up) {
        var behavior = hpa.getSpec().getBehavior();
        HPAScalingRules rules = behavior == null ? null : up ? behavior.getScaleUp() : behavior.getScaleDown();
        if (rules == null || rules.getStabilizationWindowSeconds() == null) {
            return up ? Duration.ZERO : DEFAULT_DOWN_WINDOW;
        }
        return Duration.ofSeconds(rules.getStabilizationWindowSeconds());
    }

    /** Kubernetes' wording: the metric that asked for the most replicas on a scale-up, "All metrics below target" on a scale-down. */
    private static String reason(Map<String, Integer> proposals, boolean up) {
        return up ? proposals.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey() + " above target")
                .orElse("a metric above target") : "All metrics below target";
    }

    private static HorizontalPodAutoscalerCondition condition(HorizontalPodAutoscaler hpa, String type, boolean status, String reason, String message,
            Instant now) {
        String value = status ? "True" : "False";
        Optional<HorizontalPodAutoscalerCondition> previous = hpa.getStatus() == null || hpa.getStatus().getConditions() == null ? Optional.empty()
                : hpa.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
        String transition = previous.filter(c -> value.equals(c.getStatus())).map(HorizontalPodAutoscalerCondition::getLastTransitionTime).orElse(now.toString());
        return new HorizontalPodAutoscalerConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withLastTransitionTime(transition).build();
    }

    private static HorizontalPodAutoscalerStatus status(HorizontalPodAutoscaler hpa, int current, int desired, List<MetricStatus> metrics,
            HorizontalPodAutoscalerCondition condition, String lastScale, Instant now) {
        List<HorizontalPodAutoscalerCondition> conditions = new ArrayList<>();
        if (!"AbleToScale".equals(condition.getType())) {
            conditions.add(condition(hpa, "AbleToScale", true, "ReadyForNewScale", "recommended size matches current size", now));
        }
        conditions.add(condition);
        return new HorizontalPodAutoscalerStatusBuilder().withCurrentReplicas(current).withDesiredReplicas(desired).withCurrentMetrics(metrics)
                .withConditions(conditions).withLastScaleTime(lastScale).withObservedGeneration(hpa.getMetadata().getGeneration()).build();
    }

    private void write(ObjectKey key, HorizontalPodAutoscaler hpa, HorizontalPodAutoscalerStatus status) {
        if (!Objects.equals(hpa.getStatus(), status)) {
            store.<HorizontalPodAutoscaler>mutate(key, h -> {
                h.setStatus(status);
                return h;
            });
        }
    }
}
