package dev.berth.platform.apiserver.defaults;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * autoscaling/v2's defaults ({@code pkg/apis/autoscaling/v2/defaults.go}). Upstream's newest {@code selectionStrategy}
 * is not in the fabric8 model Berth serves, so it is not defaulted. Stateless.
 */
public final class AutoscalingV2Defaults {

    /** {@code autoscaling.DefaultCPUUtilization}. */
    static final int DEFAULT_CPU_UTILIZATION = 80;

    private AutoscalingV2Defaults() {}

    /** {@code SetDefaults_HorizontalPodAutoscaler}: minReplicas 1, no metrics → average cpu utilisation 80 %, then the behavior's. */
    public static void setDefaultsHorizontalPodAutoscaler(HorizontalPodAutoscaler hpa) {
        if (hpa.getSpec() == null) {
            hpa.setSpec(new HorizontalPodAutoscalerSpec());
        }
        HorizontalPodAutoscalerSpec spec = hpa.getSpec();
        if (spec.getMinReplicas() == null) {
            spec.setMinReplicas(1);
        }
        if (spec.getMetrics() == null || spec.getMetrics().isEmpty()) {
            spec.setMetrics(new ArrayList<>(List.of(new MetricSpecBuilder().withType("Resource")
                    .withNewResource().withName("cpu").withNewTarget().withType("Utilization").withAverageUtilization(DEFAULT_CPU_UTILIZATION)
                    .endTarget().endResource().build())));
        }
        setDefaultsHorizontalPodAutoscalerBehavior(hpa);
    }

    /**
     * {@code SetDefaults_HorizontalPodAutoscalerBehavior}: a behavior that is present gets both rules filled (an absent
     * behavior stays absent: the controller's own stabilisation applies then). Each unset field of a rule takes the
     * default's: scale-up stabilizationWindowSeconds 0, selectPolicy Max, policies [Pods 4 per 15 s, Percent 100 per
     * 15 s]; scale-down selectPolicy Max, policies [Percent 100 per 15 s] and no stabilisation window (the
     * controller's flag decides).
     */
    public static void setDefaultsHorizontalPodAutoscalerBehavior(HorizontalPodAutoscaler hpa) {
        var behavior = hpa.getSpec().getBehavior();
        if (behavior != null) {
            behavior.setScaleUp(generateScaleUpRules(behavior.getScaleUp()));
            behavior.setScaleDown(generateScaleDownRules(behavior.getScaleDown()));
        }
    }

    /** {@code GenerateHPAScaleUpRules}: {@code from}'s set fields over the scale-up defaults. */
    public static HPAScalingRules generateScaleUpRules(HPAScalingRules from) {
        return fill(from, 0, List.of(new HPAScalingPolicy(15, "Pods", 4), new HPAScalingPolicy(15, "Percent", 100)));
    }

    /** {@code GenerateHPAScaleDownRules}: {@code from}'s set fields over the scale-down defaults. */
    public static HPAScalingRules generateScaleDownRules(HPAScalingRules from) {
        return fill(from, null, List.of(new HPAScalingPolicy(15, "Percent", 100)));
    }

    private static HPAScalingRules fill(HPAScalingRules from, Integer window, List<HPAScalingPolicy> policies) {
        HPAScalingRules rules = from == null ? new HPAScalingRules() : from;
        if (rules.getSelectPolicy() == null) {
            rules.setSelectPolicy("Max");
        }
        if (rules.getStabilizationWindowSeconds() == null) {
            rules.setStabilizationWindowSeconds(window);
        }
        if (rules.getPolicies() == null || rules.getPolicies().isEmpty()) { // fabric8 decodes an absent list as empty; upstream refuses an empty one
            rules.setPolicies(new ArrayList<>(policies));
        }
        return rules;
    }
}
