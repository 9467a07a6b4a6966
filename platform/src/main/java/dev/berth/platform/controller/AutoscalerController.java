package dev.berth.platform.controller;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
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
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HorizontalPodAutoscaler controller ({@code autoscaling/v2}) for Deployments: every sync period it measures
 * each metric per ready pod — {@code Resource cpu} as utilisation of the pods' cpu requests, or the {@code Pods}
 * metric {@value #REQUEST_RATE_METRIC} (requests per second through the Services in front of the pods, from the
 * proxies) against an {@code AverageValue} — and scales the Deployment to {@link HorizontalScaling}'s proposal,
 * stabilised by the behavior's windows (Kubernetes' defaults: up at once, down over 300 s). Every rescale is a
 * {@code SuccessfulRescale} event; what cannot be measured is a {@code ScalingActive=False} condition with the reason.
 */
public final class AutoscalerController implements Reconciler {

    public static final String REQUEST_RATE_METRIC = "requests_per_second";
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

    private record Measured(List<HorizontalScaling.MetricValue> values, List<MetricStatus> statuses, List<String> problems) {}

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
        List<Pod> pods = store.<Pod>list(ResourceKind.POD, key.namespace(), d.getSpec().getSelector()).stream()
                .filter(PodStatuses::isActive).filter(p -> !PodStatuses.isTerminating(p)).toList();
        List<Pod> ready = pods.stream().filter(PodStatuses::isReady).toList();
        Measured m = measure(hpa, key, ready);
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
            int proposal = m.values().isEmpty() ? Math.max(min, Math.min(max, current)) : HorizontalScaling.desired(current, m.values(), min, max);
            desired = recommendations.computeIfAbsent(key, k -> new HorizontalScaling.Recommendations())
                    .stabilised(current, proposal, now, window(hpa, true), window(hpa, false));
            desired = Math.max(min, Math.min(max, desired));
        }
        String lastScale = hpa.getStatus() == null ? null : hpa.getStatus().getLastScaleTime();
        if (desired != current) {
            int to = desired;
            store.<Deployment>mutate(ObjectKey.of(d), x -> {
                x.getSpec().setReplicas(to);
                return x;
            });
            events.normal(hpa, "horizontal-pod-autoscaler", "SuccessfulRescale", "New size: " + desired + "; reason: " + reason(m.values(), desired > current));
            lastScale = now.toString();
        }
        HorizontalPodAutoscalerStatus status = status(hpa, current, desired, m.statuses(), active, lastScale, now);
        write(key, hpa, status);
        return (desired != current ? ReconcileResult.changedState() : ReconcileResult.noChange()).andRequeueAfter(syncPeriod);
    }

    private Measured measure(HorizontalPodAutoscaler hpa, ObjectKey key, List<Pod> ready) {
        List<HorizontalScaling.MetricValue> values = new ArrayList<>();
        List<MetricStatus> statuses = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<MetricSpec> metrics = hpa.getSpec().getMetrics() == null || hpa.getSpec().getMetrics().isEmpty()
                ? List.of(defaultCpuMetric()) : hpa.getSpec().getMetrics();
        for (MetricSpec spec : metrics) {
            if ("Resource".equals(spec.getType()) && spec.getResource() != null && "cpu".equals(spec.getResource().getName())
                    && spec.getResource().getTarget() != null && spec.getResource().getTarget().getAverageUtilization() != null) {
                cpu(ready, spec.getResource().getTarget().getAverageUtilization(), values, statuses, problems);
            } else if ("Pods".equals(spec.getType()) && spec.getPods() != null && REQUEST_RATE_METRIC.equals(spec.getPods().getMetric().getName())
                    && spec.getPods().getTarget() != null && spec.getPods().getTarget().getAverageValue() != null) {
                double target = spec.getPods().getTarget().getAverageValue().getNumericalAmount().doubleValue();
                OptionalDouble rate = usage.requestRate(key.toString(), ready);
                if (rate.isPresent() && !ready.isEmpty()) {
                    double perPod = rate.getAsDouble() / ready.size();
                    values.add(new HorizontalScaling.MetricValue(REQUEST_RATE_METRIC, perPod, target));
                    statuses.add(new MetricStatusBuilder().withType("Pods").withNewPods().withNewMetric().withName(REQUEST_RATE_METRIC).endMetric()
                            .withNewCurrent().withAverageValue(new Quantity(String.format(Locale.ROOT, "%.3f", perPod))).endCurrent().endPods().build());
                }
            } else {
                problems.add("unsupported metric (type " + spec.getType() + "): Berth measures Resource cpu with averageUtilization and Pods "
                        + REQUEST_RATE_METRIC + " with averageValue");
            }
        }
        return new Measured(values, statuses, problems);
    }

    /** Average cpu use of the ready pods in % of their cpu requests. Pods without a first sample yet are left out. */
    private void cpu(List<Pod> ready, int targetPercent, List<HorizontalScaling.MetricValue> values, List<MetricStatus> statuses, List<String> problems) {
        double usedPercentSum = 0;
        int measured = 0;
        for (Pod p : ready) {
            BigDecimal requested = BigDecimal.ZERO;
            for (Container c : p.getSpec().getContainers()) {
                Quantity q = c.getResources() == null || c.getResources().getRequests() == null ? null : c.getResources().getRequests().get("cpu");
                if (q == null) {
                    problems.add("missing request for cpu in container " + c.getName() + " of pod " + p.getMetadata().getName());
                    return;
                }
                requested = requested.add(q.getNumericalAmount());
            }
            OptionalDouble cores = usage.cpuCores(p);
            if (cores.isPresent() && requested.signum() > 0) {
                usedPercentSum += cores.getAsDouble() / requested.doubleValue() * 100;
                measured++;
            }
        }
        if (measured > 0) {
            double average = usedPercentSum / measured;
            values.add(new HorizontalScaling.MetricValue("cpu resource utilization (percentage of request)", average, targetPercent));
            statuses.add(new MetricStatusBuilder().withType("Resource").withNewResource().withName("cpu")
                    .withNewCurrent().withAverageUtilization((int) Math.round(average)).endCurrent().endResource().build());
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

    /** Kubernetes' wording: the metric that drove a scale-up, "All metrics below target" for a scale-down. */
    private static String reason(List<HorizontalScaling.MetricValue> values, boolean up) {
        return up ? values.stream().filter(v -> v.currentPerPod() > v.targetPerPod()).map(v -> v.name() + " above target")
                .findFirst().orElse("a metric above target") : "All metrics below target";
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
