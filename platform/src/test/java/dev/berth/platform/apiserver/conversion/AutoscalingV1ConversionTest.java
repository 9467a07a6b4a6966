package dev.berth.platform.apiserver.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * autoscaling/v2 ↔ autoscaling/v1. The first table transcribes upstream's
 * {@code pkg/apis/autoscaling/v1/conversion_test.go} ({@code TestConvert_autoscaling_HorizontalPodAutoscalerSpec_To_v1_HorizontalPodAutoscalerSpec},
 * one row per upstream case); the others take each branch of {@code conversion.go}, named by the function and branch.
 */
class AutoscalingV1ConversionTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<Arguments> specToV1() {
        String both = "[{'type':'Resource','resource':{'name':'cpu','target':{'type':'AverageValue','averageValue':'300m'}}},"
                + "{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':70}}}]";
        return Stream.of(
                Arguments.of("TestConversionWithCPUAverageValueAndUtilizationBoth1", both,
                        "{'minReplicas':1,'maxReplicas':3,'targetCPUUtilizationPercentage':70}"),
                // upstream converts into an object already holding min 2, max 4, 60 %: all three are replaced
                Arguments.of("TestConversionWithCPUAverageValueAndUtilizationBoth2", both,
                        "{'minReplicas':1,'maxReplicas':3,'targetCPUUtilizationPercentage':70}"),
                // upstream's out already holds 60 % and Go's conversion leaves a field it has nothing for; Berth converts
                // into a new object, so no metric is no percentage
                Arguments.of("TestConversionWithoutMetrics", "[]", "{'minReplicas':1,'maxReplicas':3}"),
                Arguments.of("TestConversionWithCPUUtilizationOnly",
                        "[{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':60}}}]",
                        "{'minReplicas':1,'maxReplicas':3,'targetCPUUtilizationPercentage':60}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void specToV1(String upstreamCase, String metrics, String expectedSpec) {
        ObjectNode v2 = object("{'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},"
                + "'spec':{'minReplicas':1,'maxReplicas':3,'metrics':" + metrics + "}}");
        ObjectNode spec = (ObjectNode) AutoscalingV1Conversion.toV1(v2).get("spec");
        assertThat(spec).as(upstreamCase).isEqualTo(tree(expectedSpec));
    }

    @Test
    void v2ToV1KeepsTheOtherMetricsTheReportedMetricsAndTheConditionsInTheAnnotations() { // Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler
        ObjectNode v2 = object("{'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{'name':'web','annotations':{'team':'a'}},"
                + "'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'},'minReplicas':1,'maxReplicas':5,"
                + "'metrics':[{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':50}}},"
                + "{'type':'Pods','pods':{'metric':{'name':'rps'},'target':{'type':'AverageValue','averageValue':'10'}}}],"
                + "'behavior':{'scaleDown':{'stabilizationWindowSeconds':60}}},"
                + "'status':{'observedGeneration':2,'currentReplicas':2,'desiredReplicas':3,"
                + "'currentMetrics':[{'type':'Resource','resource':{'name':'cpu','current':{'averageUtilization':75,'averageValue':'150m'}}}],"
                + "'conditions':[{'type':'AbleToScale','status':'True','reason':'SucceededRescale','message':'ok'}]}}");
        ObjectNode v1 = AutoscalingV1Conversion.toV1(v2);
        assertThat(v1.get("apiVersion").asText()).isEqualTo("autoscaling/v1");
        assertThat(v1.get("spec")).isEqualTo(tree("{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'},"
                + "'minReplicas':1,'maxReplicas':5,'targetCPUUtilizationPercentage':50}"));
        assertThat(v1.get("status")).isEqualTo(tree("{'observedGeneration':2,'currentReplicas':2,'desiredReplicas':3,"
                + "'currentCPUUtilizationPercentage':75}"));
        JsonNode annotations = v1.path("metadata").path("annotations");
        assertThat(annotations.get("team").asText()).isEqualTo("a");
        assertThat(tree(annotations.get(AutoscalingV1Conversion.METRIC_SPECS).asText()))
                .isEqualTo(tree("[{'type':'Pods','pods':{'metricName':'rps','targetAverageValue':'10'}}]"));
        assertThat(tree(annotations.get(AutoscalingV1Conversion.METRIC_STATUSES).asText())).isEqualTo(tree(
                "[{'type':'Resource','resource':{'name':'cpu','currentAverageUtilization':75,'currentAverageValue':'150m'}}]"));
        assertThat(tree(annotations.get(AutoscalingV1Conversion.CONDITIONS).asText()))
                .isEqualTo(tree("[{'type':'AbleToScale','status':'True','reason':'SucceededRescale','message':'ok'}]"));
        // and back: the same v2 object, less the behavior v1 has no place for
        ObjectNode back = AutoscalingV1Conversion.toV2(v1);
        ObjectNode expected = v2.deepCopy();
        ((ObjectNode) expected.get("spec")).remove("behavior");
        ((ObjectNode) expected.get("spec")).putArray("metrics") // the others first, the cpu target last
                .add(v2.get("spec").get("metrics").get(1)).add(v2.get("spec").get("metrics").get(0));
        assertThat(back).isEqualTo(expected);
    }

    static Stream<Arguments> v1ToV2() {
        return Stream.of(
                // Convert_v1_HorizontalPodAutoscalerSpec_To_autoscaling: the percentage is a cpu Utilization target
                Arguments.of("targetCPUUtilizationPercentage", 70, null,
                        "[{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':70}}}]"),
                // Convert_v1_HorizontalPodAutoscaler_To_autoscaling: no metric at all is autoscaling.DefaultCPUUtilization
                Arguments.of("len(out.Spec.Metrics) == 0", null, null,
                        "[{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':80}}}]"),
                // MetricSpecsAnnotation: the other metrics first, the percentage's metric after them
                Arguments.of("MetricSpecsAnnotation", 70, "[{'type':'External','external':{'metricName':'queue','targetAverageValue':'30'}}]",
                        "[{'type':'External','external':{'metric':{'name':'queue'},'target':{'type':'AverageValue','averageValue':'30'}}},"
                                + "{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':70}}}]"),
                // Convert_v1_ObjectMetricSource_To_autoscaling: Value without an averageValue, the target its describedObject
                Arguments.of("Convert_v1_ObjectMetricSource_To_autoscaling_ObjectMetricSource", null,
                        "[{'type':'Object','object':{'target':{'kind':'Service','name':'web'},'metricName':'hits','targetValue':'2k'}}]",
                        "[{'type':'Object','object':{'describedObject':{'kind':'Service','name':'web'},'metric':{'name':'hits'},"
                                + "'target':{'type':'Value','value':'2k'}}}]"),
                // Convert_v1_PodsMetricSource_To_autoscaling: always AverageValue
                Arguments.of("Convert_v1_PodsMetricSource_To_autoscaling_PodsMetricSource", null,
                        "[{'type':'Pods','pods':{'metricName':'rps','targetAverageValue':'10'}}]",
                        "[{'type':'Pods','pods':{'metric':{'name':'rps'},'target':{'type':'AverageValue','averageValue':'10'}}}]"),
                // Convert_v1_ResourceMetricSource_To_autoscaling: AverageValue without a utilisation
                Arguments.of("Convert_v1_ResourceMetricSource_To_autoscaling_ResourceMetricSource", null,
                        "[{'type':'Resource','resource':{'name':'memory','targetAverageValue':'100Mi'}}]",
                        "[{'type':'Resource','resource':{'name':'memory','target':{'type':'AverageValue','averageValue':'100Mi'}}}]"),
                // Convert_v1_ExternalMetricSource_To_autoscaling: Value when a targetValue is given
                Arguments.of("Convert_v1_ExternalMetricSource_To_autoscaling_ExternalMetricSource", null,
                        "[{'type':'External','external':{'metricName':'lag','metricSelector':{'matchLabels':{'q':'a'}},'targetValue':'5'}}]",
                        "[{'type':'External','external':{'metric':{'name':'lag','selector':{'matchLabels':{'q':'a'}}},"
                                + "'target':{'type':'Value','value':'5'}}}]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void v1ToV2(String branch, Integer percent, String metricsAnnotation, String expectedMetrics) {
        ObjectNode v1 = object("{'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},'spec':{'maxReplicas':3}}");
        if (percent != null) {
            ((ObjectNode) v1.get("spec")).put("targetCPUUtilizationPercentage", percent);
        }
        if (metricsAnnotation != null) {
            ((ObjectNode) v1.get("metadata")).putObject("annotations").put(AutoscalingV1Conversion.METRIC_SPECS, tree(metricsAnnotation).toString());
        }
        ObjectNode v2 = AutoscalingV1Conversion.toV2(v1);
        assertThat(v2.get("apiVersion").asText()).isEqualTo("autoscaling/v2");
        assertThat(v2.get("spec").get("metrics")).as(branch).isEqualTo(tree(expectedMetrics));
        assertThat(v2.get("metadata").has("annotations")).as("the round-trip annotations are consumed").isFalse();
        // and back to v1: the same metrics, the percentage in its field and the others in the annotation
        ObjectNode again = AutoscalingV1Conversion.toV1(v2);
        assertThat(AutoscalingV1Conversion.toV2(again).get("spec")).as(branch).isEqualTo(v2.get("spec"));
    }

    @Test
    void v1StatusToV2() { // Convert_v1_HorizontalPodAutoscalerStatus_To_autoscaling and MetricStatusesAnnotation, HorizontalPodAutoscalerConditionsAnnotation
        ObjectNode plain = object("{'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},'spec':{'maxReplicas':3},"
                + "'status':{'currentReplicas':1,'desiredReplicas':2,'currentCPUUtilizationPercentage':90}}");
        assertThat(AutoscalingV1Conversion.toV2(plain).get("status")).isEqualTo(tree("{'currentReplicas':1,'desiredReplicas':2,"
                + "'currentMetrics':[{'type':'Resource','resource':{'name':'cpu','current':{'averageUtilization':90}}}]}"));
        ObjectNode annotated = plain.deepCopy();
        ((ObjectNode) annotated.get("metadata")).putObject("annotations")
                .put(AutoscalingV1Conversion.METRIC_STATUSES,
                        tree("[{'type':'Resource','resource':{'name':'cpu','currentAverageUtilization':90,'currentAverageValue':'180m'}}]").toString())
                .put(AutoscalingV1Conversion.CONDITIONS, tree("[{'type':'ScalingActive','status':'False','reason':'FailedGetResourceMetric'}]").toString());
        // "ignore any existing status values -- the ones here have more information"
        assertThat(AutoscalingV1Conversion.toV2(annotated).get("status")).isEqualTo(tree("{'currentReplicas':1,'desiredReplicas':2,"
                + "'currentMetrics':[{'type':'Resource','resource':{'name':'cpu','current':{'averageValue':'180m','averageUtilization':90}}}],"
                + "'conditions':[{'type':'ScalingActive','status':'False','reason':'FailedGetResourceMetric'}]}"));
    }

    @Test
    void anApplyConfigurationWithoutMetricsClaimsNone() {
        ObjectNode configuration = object("{'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},'spec':{'maxReplicas':4}}");
        ObjectNode v2 = AutoscalingV1Conversion.configurationToV2(configuration);
        assertThat(v2.get("spec")).isEqualTo(tree("{'maxReplicas':4}"));
        assertThat(v2.has("status")).isFalse();
    }

    @Test
    void aMalformedRoundTripAnnotationIsRefused() { // upstream's json.Unmarshal error fails the conversion
        ObjectNode v1 = object("{'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'web','annotations':"
                + "{'autoscaling.alpha.kubernetes.io/metrics':'not json'}},'spec':{'maxReplicas':3}}");
        assertThatThrownBy(() -> AutoscalingV1Conversion.toV2(v1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the annotation autoscaling.alpha.kubernetes.io/metrics is not JSON");
        ObjectNode notAList = v1.deepCopy();
        ((ObjectNode) notAList.get("metadata").get("annotations")).put(AutoscalingV1Conversion.METRIC_SPECS, "{}");
        assertThatThrownBy(() -> AutoscalingV1Conversion.toV2(notAList)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must hold a JSON list");
    }

    static ObjectNode object(String singleQuoted) {
        return (ObjectNode) tree(singleQuoted);
    }

    static JsonNode tree(String singleQuoted) {
        try {
            return MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }
}
