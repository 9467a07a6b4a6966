package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Cells.int64;
import static dev.berth.platform.apiserver.printing.Cells.list;
import static dev.berth.platform.apiserver.printing.Cells.str;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.platform.apiserver.conversion.AutoscalingV1Conversion;
import dev.berth.platform.apiserver.printing.KindTable.Row;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kubectl get hpa}: upstream's {@code printHorizontalPodAutoscaler}. TARGETS shows each metric as
 * current/target ({@code cpu: 45%/80%}, {@code 100m/50m (avg)}), {@code <unknown>} before the controller measured
 * it, the first two metrics then "+ N more...". Pure.
 */
final class AutoscalerTable {

    /** {@code HorizontalPodAutoscalerSpec{}.SwaggerDoc()["scaleTargetRef"]}. */
    private static final String HORIZONTALPODAUTOSCALERSPEC_SCALETARGETREF =
            "scaleTargetRef points to the target resource to scale, and is used to the pods for which "
            + "metrics should be collected, as well as to actually change the replica count.";
    /** {@code HorizontalPodAutoscalerSpec{}.SwaggerDoc()["metrics"]}. */
    private static final String HORIZONTALPODAUTOSCALERSPEC_METRICS =
            "metrics contains the specifications for which to use to calculate the desired replica count "
            + "(the maximum replica count across all metrics will be used).  The desired replica count is "
            + "calculated multiplying the ratio between the target value and the current value by the current "
            + "number of pods.  Ergo, metrics used must decrease as the pod count is increased, and "
            + "vice-versa.  See the individual metric source types for more information about how each type "
            + "of metric must respond.";
    /** {@code HorizontalPodAutoscalerSpec{}.SwaggerDoc()["minReplicas"]}. */
    private static final String HORIZONTALPODAUTOSCALERSPEC_MINREPLICAS =
            "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale "
            + "down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate "
            + "HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling "
            + "is active as long as at least one metric value is available.";
    /** {@code HorizontalPodAutoscalerSpec{}.SwaggerDoc()["maxReplicas"]}. */
    private static final String HORIZONTALPODAUTOSCALERSPEC_MAXREPLICAS =
            "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale "
            + "up. It cannot be less that minReplicas.";
    /** {@code HorizontalPodAutoscalerStatus{}.SwaggerDoc()["currentReplicas"]}. */
    private static final String HORIZONTALPODAUTOSCALERSTATUS_CURRENTREPLICAS =
            "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen "
            + "by the autoscaler.";

    static final KindTable<HorizontalPodAutoscaler> TABLE = new KindTable<>("autoscaling/v2", "HorizontalPodAutoscaler",
            HorizontalPodAutoscaler.class, List.of(
                    TableColumn.NAME,
                    TableColumn.string("Reference", HORIZONTALPODAUTOSCALERSPEC_SCALETARGETREF),
                    TableColumn.string("Targets", HORIZONTALPODAUTOSCALERSPEC_METRICS),
                    TableColumn.string("MinPods", HORIZONTALPODAUTOSCALERSPEC_MINREPLICAS),
                    TableColumn.string("MaxPods", HORIZONTALPODAUTOSCALERSPEC_MAXREPLICAS),
                    TableColumn.string("Replicas", HORIZONTALPODAUTOSCALERSTATUS_CURRENTREPLICAS),
                    TableColumn.AGE), AutoscalerTable::print);

    /** autoscaling/v1's table: the same columns, printed from the object converted as kube-apiserver prints its internal version. */
    static final KindTable<io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler> TABLE_V1 = new KindTable<>(
            "autoscaling/v1", "HorizontalPodAutoscaler", io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler.class,
            TABLE.columns(), (hpa, ages) -> print(toV2(hpa), ages));

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    /** How many metrics TARGETS shows before "+ N more...". */
    private static final int MAX_METRICS = 2;
    private static final String UNKNOWN = Ages.UNKNOWN;

    /** One metric of a spec, with the status reported for it ({@code present} false when none was). */
    private record Metric(String name, MetricTarget target, boolean present, MetricValueStatus current) {}

    private AutoscalerTable() {}

    private static HorizontalPodAutoscaler toV2(io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler v1) {
        return JSON.convertValue(AutoscalingV1Conversion.toV2(JSON.convertValue(v1, ObjectNode.class)), HorizontalPodAutoscaler.class);
    }

    static Row print(HorizontalPodAutoscaler hpa, Ages ages) {
        HorizontalPodAutoscalerSpec spec = hpa.getSpec() == null ? new HorizontalPodAutoscalerSpec() : hpa.getSpec();
        HorizontalPodAutoscalerStatus status = hpa.getStatus() == null ? new HorizontalPodAutoscalerStatus() : hpa.getStatus();
        CrossVersionObjectReference ref = spec.getScaleTargetRef() == null ? new CrossVersionObjectReference() : spec.getScaleTargetRef();
        String minPods = spec.getMinReplicas() == null ? "<unset>" : spec.getMinReplicas().toString();
        return Row.of(Cells.name(hpa), str(ref.getKind()) + "/" + str(ref.getName()), formatMetrics(list(spec.getMetrics()),
                list(status.getCurrentMetrics())), minPods, int64(spec.getMaxReplicas()), int64(status.getCurrentReplicas()), ages.created(hpa));
    }

    /** {@code formatHPAMetrics}: a status belongs to the spec at the same index. */
    static String formatMetrics(List<MetricSpec> specs, List<MetricStatus> statuses) {
        if (specs.isEmpty()) {
            return Cells.NONE;
        }
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            MetricStatus status = i < statuses.size() ? statuses.get(i) : null;
            shown.add(format(specs.get(i), status));
        }
        if (shown.size() > MAX_METRICS) {
            return String.join(", ", shown.subList(0, MAX_METRICS)) + " + " + (shown.size() - MAX_METRICS) + " more...";
        }
        return String.join(", ", shown);
    }

    private static String format(MetricSpec spec, MetricStatus status) {
        String type = str(spec.getType());
        Metric m = metric(spec, status);
        MetricTarget t = m.target();
        MetricValueStatus c = m.current();
        return switch (type) {
            case "External", "Object" -> {
                if (t.getAverageValue() != null) {
                    String current = m.present() && c.getAverageValue() != null ? q(c.getAverageValue()) : UNKNOWN;
                    yield current + "/" + q(t.getAverageValue()) + " (avg)";
                }
                yield (m.present() ? q(c.getValue()) : UNKNOWN) + "/" + q(t.getValue());
            }
            case "Pods" -> (m.present() ? q(c.getAverageValue()) : UNKNOWN) + "/" + q(t.getAverageValue());
            case "Resource", "ContainerResource" -> {
                if (t.getAverageValue() != null) {
                    yield m.name() + ": " + (m.present() ? q(c.getAverageValue()) : UNKNOWN) + "/" + q(t.getAverageValue());
                }
                String current = m.present() && c.getAverageUtilization() != null ? c.getAverageUtilization() + "%" : UNKNOWN;
                String target = t.getAverageUtilization() == null ? "<auto>" : t.getAverageUtilization() + "%";
                yield m.name() + ": " + current + "/" + target;
            }
            default -> "<unknown type>";
        };
    }

    /** The spec's target, and the status's current value for the spec's type: empty ones where either is missing. */
    private static Metric metric(MetricSpec spec, MetricStatus status) {
        MetricStatus s = status == null ? new MetricStatus() : status;
        Metric m = switch (str(spec.getType())) {
            case "External" -> new Metric("", spec.getExternal() == null ? null : spec.getExternal().getTarget(), s.getExternal() != null,
                    s.getExternal() == null ? null : s.getExternal().getCurrent());
            case "Object" -> new Metric("", spec.getObject() == null ? null : spec.getObject().getTarget(), s.getObject() != null,
                    s.getObject() == null ? null : s.getObject().getCurrent());
            case "Pods" -> new Metric("", spec.getPods() == null ? null : spec.getPods().getTarget(), s.getPods() != null,
                    s.getPods() == null ? null : s.getPods().getCurrent());
            case "Resource" -> spec.getResource() == null ? new Metric("", null, false, null)
                    : new Metric(str(spec.getResource().getName()), spec.getResource().getTarget(), s.getResource() != null,
                            s.getResource() == null ? null : s.getResource().getCurrent());
            case "ContainerResource" -> spec.getContainerResource() == null ? new Metric("", null, false, null)
                    : new Metric(str(spec.getContainerResource().getName()), spec.getContainerResource().getTarget(),
                            s.getContainerResource() != null, s.getContainerResource() == null ? null : s.getContainerResource().getCurrent());
            default -> new Metric("", null, false, null);
        };
        return new Metric(m.name(), m.target() == null ? new MetricTarget() : m.target(), m.present(),
                m.current() == null ? new MetricValueStatus() : m.current());
    }

    private static String q(io.fabric8.kubernetes.api.model.Quantity quantity) {
        return CanonicalQuantity.string(quantity);
    }
}
