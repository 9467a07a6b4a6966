package dev.berth.platform.apiserver.conversion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * autoscaling/v1 HorizontalPodAutoscalers to and from autoscaling/v2 (what the store keeps), as kube-apiserver converts
 * through its internal version ({@code pkg/apis/autoscaling/v1/conversion.go}): {@code targetCPUUtilizationPercentage}
 * is the first {@code cpu} Resource metric with a Utilization target, {@code currentCPUUtilizationPercentage} the cpu
 * utilisation reported; the other metrics, every reported metric and the conditions ride in the
 * {@code autoscaling.alpha.kubernetes.io/*} annotations in autoscaling/v1's metric shapes, so a v2 object survives a
 * read and write through v1. {@code spec.behavior} has no place in v1 and is dropped, as upstream drops it. Pure;
 * thread-safe.
 */
public final class AutoscalingV1Conversion {

    /** {@code autoscaling.MetricSpecsAnnotation}: the metrics other than a cpu utilisation target. */
    public static final String METRIC_SPECS = "autoscaling.alpha.kubernetes.io/metrics";
    /** {@code autoscaling.MetricStatusesAnnotation}: every metric reported in the status. */
    public static final String METRIC_STATUSES = "autoscaling.alpha.kubernetes.io/current-metrics";
    /** {@code autoscaling.HorizontalPodAutoscalerConditionsAnnotation}. */
    public static final String CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";
    /** {@code autoscaling.DefaultCPUUtilization}: v1's implicit target when no metric is given. */
    static final int DEFAULT_CPU_UTILIZATION = 80;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String V1 = "autoscaling/v1";
    private static final String V2 = "autoscaling/v2";
    private static final String RESOURCE = "Resource";
    private static final String CPU = "cpu";
    /** Go's zero {@code resource.Quantity}, as a non-pointer quantity field marshals it. */
    private static final String ZERO = "0";

    private AutoscalingV1Conversion() {}

    /** {@code Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler}, from a stored v2 object. */
    public static ObjectNode toV1(ObjectNode v2) {
        ObjectNode out = sharedFields(v2, V1);
        ObjectNode metadata = (ObjectNode) out.get("metadata");
        JsonNode spec = v2.path("spec");
        ObjectNode outSpec = (ObjectNode) out.get("spec");
        ArrayNode otherMetrics = MAPPER.createArrayNode();
        for (JsonNode metric : spec.path("metrics")) {
            JsonNode utilization = metric.path("resource").path("target").path("averageUtilization");
            if (!(isCpuResource(metric) && utilization.isNumber())) {
                otherMetrics.add(metricSpecToV1(metric));
            } else if (!outSpec.has("targetCPUUtilizationPercentage")) { // the first cpu utilisation target (kubernetes#101370)
                outSpec.put("targetCPUUtilizationPercentage", utilization.asInt());
            }
        }
        JsonNode status = v2.path("status");
        ObjectNode outStatus = (ObjectNode) out.get("status");
        ArrayNode currentMetrics = MAPPER.createArrayNode();
        for (JsonNode metric : status.path("currentMetrics")) {
            JsonNode utilization = metric.path("resource").path("current").path("averageUtilization");
            if (isCpuResource(metric) && utilization.isNumber()) { // the last one reported wins, as upstream's loop
                outStatus.put("currentCPUUtilizationPercentage", utilization.asInt());
            }
            currentMetrics.add(metricStatusToV1(metric));
        }
        ArrayNode conditions = MAPPER.createArrayNode();
        for (JsonNode condition : status.path("conditions")) {
            conditions.add(condition(condition));
        }
        annotate(metadata, METRIC_SPECS, otherMetrics);
        annotate(metadata, METRIC_STATUSES, currentMetrics);
        annotate(metadata, CONDITIONS, conditions);
        return out;
    }

    /**
     * {@code Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler}, to the v2 object to store:
     * without any metric, v1's implicit cpu target of 80 %.
     *
     * @throws IllegalArgumentException when one of the round-trip annotations is not the JSON it should be
     */
    public static ObjectNode toV2(ObjectNode v1) {
        ObjectNode out = convertToV2(v1);
        ObjectNode spec = (ObjectNode) out.get("spec");
        if (!spec.has("metrics") || spec.get("metrics").isEmpty()) {
            spec.putArray("metrics").add(cpuUtilization(DEFAULT_CPU_UTILIZATION));
        }
        return out;
    }

    /**
     * A server-side apply configuration in v1, as v2: {@link #toV2} without the implicit cpu target, so that a
     * configuration naming no metric claims none (an object it creates is defaulted to the same 80 % by v2's defaults).
     *
     * @throws IllegalArgumentException when one of the round-trip annotations is not the JSON it should be
     */
    public static ObjectNode configurationToV2(ObjectNode v1) {
        ObjectNode out = convertToV2(v1);
        if (!v1.has("status")) {
            out.remove("status");
        }
        return out;
    }

    private static ObjectNode convertToV2(ObjectNode v1) {
        ObjectNode out = sharedFields(v1, V2);
        ObjectNode metadata = (ObjectNode) out.get("metadata");
        JsonNode annotations = metadata.path("annotations");
        JsonNode spec = v1.path("spec");
        ObjectNode outSpec = (ObjectNode) out.get("spec");
        ArrayNode metrics = MAPPER.createArrayNode();
        for (JsonNode metric : annotation(annotations, METRIC_SPECS)) {
            metrics.add(metricSpecToV2(metric));
        }
        if (spec.path("targetCPUUtilizationPercentage").isNumber()) { // after the others, as upstream appends it
            metrics.add(cpuUtilization(spec.get("targetCPUUtilizationPercentage").asInt()));
        }
        if (!metrics.isEmpty()) {
            outSpec.set("metrics", metrics);
        }
        JsonNode status = v1.path("status");
        ObjectNode outStatus = (ObjectNode) out.get("status");
        ArrayNode currentMetrics = MAPPER.createArrayNode();
        if (annotations.has(METRIC_STATUSES)) { // the annotation's metrics have more than the cpu percentage
            for (JsonNode metric : annotation(annotations, METRIC_STATUSES)) {
                currentMetrics.add(metricStatusToV2(metric));
            }
        } else if (status.path("currentCPUUtilizationPercentage").isNumber()) {
            ObjectNode cpu = currentMetrics.addObject().put("type", RESOURCE);
            cpu.putObject("resource").put("name", CPU).putObject("current")
                    .put("averageUtilization", status.get("currentCPUUtilizationPercentage").asInt());
        }
        if (!currentMetrics.isEmpty()) {
            outStatus.set("currentMetrics", currentMetrics);
        }
        ArrayNode conditions = MAPPER.createArrayNode();
        for (JsonNode condition : annotation(annotations, CONDITIONS)) {
            conditions.add(condition(condition));
        }
        if (!conditions.isEmpty()) {
            outStatus.set("conditions", conditions);
        }
        if (annotations instanceof ObjectNode a) {
            a.remove(List.of(METRIC_SPECS, METRIC_STATUSES, CONDITIONS));
            if (a.isEmpty()) {
                metadata.remove("annotations");
            }
        }
        return out;
    }

    /**
     * What both versions share, as {@code apiVersion}: kind, metadata, the spec's target and bounds, the status's
     * generation, scale time and replica counts (Go's non-pointer counts written as 0 when absent).
     */
    private static ObjectNode sharedFields(ObjectNode from, String apiVersion) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("apiVersion", apiVersion);
        out.put("kind", from.path("kind").asText("HorizontalPodAutoscaler"));
        out.set("metadata", from.has("metadata") ? from.get("metadata").deepCopy() : MAPPER.createObjectNode());
        JsonNode spec = from.path("spec");
        ObjectNode outSpec = out.putObject("spec");
        copy(spec, "scaleTargetRef", outSpec, "scaleTargetRef");
        copy(spec, "minReplicas", outSpec, "minReplicas");
        outSpec.put("maxReplicas", spec.path("maxReplicas").asInt(0));
        JsonNode status = from.path("status");
        ObjectNode outStatus = out.putObject("status");
        copy(status, "observedGeneration", outStatus, "observedGeneration");
        copy(status, "lastScaleTime", outStatus, "lastScaleTime");
        outStatus.put("currentReplicas", status.path("currentReplicas").asInt(0));
        outStatus.put("desiredReplicas", status.path("desiredReplicas").asInt(0));
        return out;
    }

    /**
     * One field of a v1 metric source and where v2 keeps it (a dotted path in the v2 source); {@code zero} is what Go
     * writes for it when the other side has none (a non-pointer quantity: {@code "0"}; a non-pointer string: {@code ""}),
     * null when it is left out.
     */
    private record Field(String v1, String v2, String zero) {}

    private static final Field METRIC_NAME = new Field("metricName", "metric.name", "");
    private static final Field SELECTOR = new Field("selector", "metric.selector", null);
    private static final Field DESCRIBED_OBJECT = new Field("target", "describedObject", null);
    private static final Field NAME = new Field("name", "name", null);
    private static final Field CONTAINER = new Field("container", "container", null);

    /** autoscaling/v1's metric sources ({@code ObjectMetricSource} …), their fields in Go's declaration order. */
    private static final Map<String, List<Field>> SOURCES = sources(
            List.of(DESCRIBED_OBJECT, METRIC_NAME, new Field("targetValue", "target.value", ZERO), SELECTOR,
                    new Field("averageValue", "target.averageValue", null)),
            List.of(METRIC_NAME, new Field("targetAverageValue", "target.averageValue", ZERO), SELECTOR),
            List.of(NAME, new Field("targetAverageUtilization", "target.averageUtilization", null),
                    new Field("targetAverageValue", "target.averageValue", null)),
            List.of(METRIC_NAME, new Field("metricSelector", "metric.selector", null), new Field("targetValue", "target.value", null),
                    new Field("targetAverageValue", "target.averageValue", null)));

    /** autoscaling/v1's metric statuses ({@code ObjectMetricStatus} …), their fields in Go's declaration order. */
    private static final Map<String, List<Field>> STATUSES = sources(
            List.of(DESCRIBED_OBJECT, METRIC_NAME, new Field("currentValue", "current.value", ZERO), SELECTOR,
                    new Field("averageValue", "current.averageValue", null)),
            List.of(METRIC_NAME, new Field("currentAverageValue", "current.averageValue", ZERO), SELECTOR),
            List.of(NAME, new Field("currentAverageUtilization", "current.averageUtilization", null),
                    new Field("currentAverageValue", "current.averageValue", ZERO)),
            List.of(METRIC_NAME, new Field("metricSelector", "metric.selector", null), new Field("currentValue", "current.value", ZERO),
                    new Field("currentAverageValue", "current.averageValue", null)));

    /** The five sources by their JSON name; a container resource is a resource with its container. */
    private static Map<String, List<Field>> sources(List<Field> object, List<Field> pods, List<Field> resource, List<Field> external) {
        Map<String, List<Field>> sources = new LinkedHashMap<>();
        sources.put("object", object);
        sources.put("pods", pods);
        sources.put("resource", resource);
        List<Field> containerResource = new ArrayList<>(resource);
        containerResource.add(CONTAINER);
        sources.put("containerResource", List.copyOf(containerResource));
        sources.put("external", external);
        return Collections.unmodifiableMap(sources);
    }

    /** {@code Convert_autoscaling_MetricSpec_To_v1_MetricSpec} with upstream's per-source conversions. */
    static ObjectNode metricSpecToV1(JsonNode m) {
        return toV1Metric(m, SOURCES);
    }

    /** {@code Convert_autoscaling_MetricStatus_To_v1_MetricStatus}. */
    static ObjectNode metricStatusToV1(JsonNode m) {
        return toV1Metric(m, STATUSES);
    }

    /**
     * {@code Convert_v1_MetricSpec_To_autoscaling_MetricSpec}: each v1 source with the target type its values imply (an
     * object's Value unless it has an averageValue, a resource's Utilization when it has one, an external metric's Value
     * when it has a targetValue, pods' always AverageValue).
     */
    static ObjectNode metricSpecToV2(JsonNode m) {
        ObjectNode out = toV2Metric(m, SOURCES);
        for (Map.Entry<String, JsonNode> source : iterable(m)) {
            JsonNode v1 = source.getValue();
            String type = switch (source.getKey()) {
                case "object" -> v1.has("averageValue") ? "AverageValue" : "Value";
                case "pods" -> "AverageValue";
                case "resource", "containerResource" -> v1.has("targetAverageUtilization") ? "Utilization" : "AverageValue";
                case "external" -> v1.has("targetValue") ? "Value" : "AverageValue";
                default -> null;
            };
            if (type != null) {
                ((ObjectNode) out.get(source.getKey())).with("target").put("type", type);
            }
        }
        return out;
    }

    /** {@code Convert_v1_MetricStatus_To_autoscaling_MetricStatus}. */
    static ObjectNode metricStatusToV2(JsonNode m) {
        return toV2Metric(m, STATUSES);
    }

    private static ObjectNode toV1Metric(JsonNode v2, Map<String, List<Field>> sources) {
        ObjectNode out = MAPPER.createObjectNode().put("type", v2.path("type").asText());
        sources.forEach((source, fields) -> {
            if (v2.has(source)) {
                ObjectNode v1 = out.putObject(source);
                for (Field f : fields) {
                    JsonNode value = at(v2.get(source), f.v2());
                    if (value != null) {
                        v1.set(f.v1(), value.deepCopy());
                    } else if (f.zero() != null) {
                        v1.put(f.v1(), f.zero());
                    }
                }
            }
        });
        return out;
    }

    private static ObjectNode toV2Metric(JsonNode v1, Map<String, List<Field>> sources) {
        ObjectNode out = MAPPER.createObjectNode().put("type", v1.path("type").asText());
        sources.forEach((source, fields) -> {
            if (v1.has(source)) {
                ObjectNode v2 = out.putObject(source);
                for (Field f : fields) {
                    JsonNode value = v1.get(source).get(f.v1());
                    String[] path = f.v2().split("\\.");
                    ObjectNode parent = v2;
                    for (int i = 0; i < path.length - 1; i++) {
                        parent = parent.with(path[i]);
                    }
                    if (value != null && !value.isNull()) {
                        parent.set(path[path.length - 1], value.deepCopy());
                    } else if (f.zero() != null) {
                        parent.put(path[path.length - 1], f.zero());
                    }
                }
            }
        });
        return out;
    }

    /** The value at a dotted path, or null when any step is missing or null. */
    private static JsonNode at(JsonNode node, String dotted) {
        JsonNode value = node;
        for (String step : dotted.split("\\.")) {
            value = value.path(step);
        }
        return value.isMissingNode() || value.isNull() ? null : value;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }

    /** A condition: the same five fields in both versions. */
    private static ObjectNode condition(JsonNode c) {
        ObjectNode out = MAPPER.createObjectNode();
        for (String field : List.of("type", "status", "lastTransitionTime", "reason", "message")) {
            copy(c, field, out, field);
        }
        return out;
    }

    private static ObjectNode cpuUtilization(int percent) {
        ObjectNode metric = MAPPER.createObjectNode().put("type", RESOURCE);
        metric.putObject("resource").put("name", CPU).putObject("target").put("type", "Utilization").put("averageUtilization", percent);
        return metric;
    }

    private static boolean isCpuResource(JsonNode metric) {
        return RESOURCE.equals(metric.path("type").asText()) && CPU.equals(metric.path("resource").path("name").asText());
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.path(field);
        if (!value.isMissingNode() && !value.isNull()) {
            to.set(as, value.deepCopy());
        }
    }

    /** A round-trip annotation's list; none when the annotation is absent. */
    private static JsonNode annotation(JsonNode annotations, String key) {
        JsonNode value = annotations.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return MAPPER.createArrayNode();
        }
        try {
            JsonNode list = MAPPER.readTree(value.asText());
            if (list == null || !list.isArray()) {
                throw new IllegalArgumentException("the annotation " + key + " must hold a JSON list, not " + value.asText());
            }
            for (JsonNode item : list) {
                if (!item.isObject()) {
                    throw new IllegalArgumentException("the annotation " + key + " must hold a JSON list of objects, not " + value.asText());
                }
            }
            return list;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the annotation " + key + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void annotate(ObjectNode metadata, String key, ArrayNode list) {
        if (list.isEmpty()) {
            return;
        }
        try {
            metadata.with("annotations").put(key, MAPPER.writeValueAsString(list));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
