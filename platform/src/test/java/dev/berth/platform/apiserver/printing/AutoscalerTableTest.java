package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Printed.named;
import static dev.berth.platform.apiserver.printing.Printed.wide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTargetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatusBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** upstream's printHorizontalPodAutoscaler table cases (printers_test.go TestPrintHPA), each row naming its case. */
class AutoscalerTableTest {

    private static final MetricTarget AVERAGE_100M = new MetricTargetBuilder().withType("AverageValue").withAverageValue(milli(100)).build();
    private static final MetricTarget VALUE_100M = new MetricTargetBuilder().withType("Value").withValue(milli(100)).build();
    private static final MetricTarget UTILIZATION_80 = new MetricTargetBuilder().withType("Utilization").withAverageUtilization(80).build();
    private static final MetricValueStatus CURRENT_AVERAGE_50M = new MetricValueStatusBuilder().withAverageValue(milli(50)).build();
    private static final MetricValueStatus CURRENT_VALUE_50M = new MetricValueStatusBuilder().withValue(milli(50)).build();
    private static final MetricValueStatus CURRENT_50_PERCENT = new MetricValueStatusBuilder().withAverageUtilization(50).withAverageValue(milli(40))
            .build();

    static Stream<Arguments> printHPA() {
        return Stream.of(
                arguments("TestPrintHPA: minReplicas unset",
                        new HorizontalPodAutoscalerBuilder().withMetadata(named("some-hpa")).withNewSpec().withNewScaleTargetRef()
                                .withName("some-rc").withKind("ReplicationController").endScaleTargetRef().withMaxReplicas(10).endSpec()
                                .withNewStatus().withCurrentReplicas(4).withDesiredReplicas(5).endStatus().build(),
                        List.of("some-hpa", "ReplicationController/some-rc", "<none>", "<unset>", 10L, 4L, "<unknown>")),
                row("TestPrintHPA: external source type, target average value (no current)",
                        List.of(external(AVERAGE_100M)), List.of(), "<unknown>/100m (avg)"),
                row("TestPrintHPA: external source type, target average value",
                        List.of(external(AVERAGE_100M)), List.of(externalStatus(CURRENT_AVERAGE_50M)), "50m/100m (avg)"),
                row("TestPrintHPA: external source type, target value (no current)",
                        List.of(external(VALUE_100M)), List.of(), "<unknown>/100m"),
                row("TestPrintHPA: external source type, target value",
                        List.of(external(VALUE_100M)), List.of(externalStatus(CURRENT_VALUE_50M)), "50m/100m"),
                row("TestPrintHPA: pods source type (no current)",
                        List.of(pods(AVERAGE_100M)), List.of(), "<unknown>/100m"),
                row("TestPrintHPA: pods source type",
                        List.of(pods(AVERAGE_100M)), List.of(podsStatus(CURRENT_AVERAGE_50M)), "50m/100m"),
                row("TestPrintHPA: object source type (no current)",
                        List.of(object(VALUE_100M)), List.of(), "<unknown>/100m"),
                row("TestPrintHPA: object source type",
                        List.of(object(VALUE_100M)), List.of(objectStatus(CURRENT_VALUE_50M)), "50m/100m"),
                row("TestPrintHPA: resource source type, targetVal (no current)",
                        List.of(resource(AVERAGE_100M)), List.of(), "cpu: <unknown>/100m"),
                row("TestPrintHPA: resource source type, targetVal",
                        List.of(resource(AVERAGE_100M)), List.of(resourceStatus(CURRENT_AVERAGE_50M)), "cpu: 50m/100m"),
                row("TestPrintHPA: resource source type, targetUtil (no current)",
                        List.of(resource(UTILIZATION_80)), List.of(), "cpu: <unknown>/80%"),
                row("TestPrintHPA: resource source type, targetUtil",
                        List.of(resource(UTILIZATION_80)), List.of(resourceStatus(CURRENT_50_PERCENT)), "cpu: 50%/80%"),
                row("TestPrintHPA: container resource source type, targetVal (no current)",
                        List.of(containerResource(AVERAGE_100M)), List.of(), "cpu: <unknown>/100m"),
                row("TestPrintHPA: container resource source type, targetVal",
                        List.of(containerResource(AVERAGE_100M)), List.of(containerResourceStatus(CURRENT_AVERAGE_50M)), "cpu: 50m/100m"),
                row("TestPrintHPA: container resource source type, targetUtil (no current)",
                        List.of(containerResource(UTILIZATION_80)), List.of(), "cpu: <unknown>/80%"),
                row("TestPrintHPA: container resource source type, targetUtil",
                        List.of(containerResource(UTILIZATION_80)), List.of(containerResourceStatus(CURRENT_50_PERCENT)), "cpu: 50%/80%"),
                row("TestPrintHPA: multiple specs",
                        List.of(pods(AVERAGE_100M), resource(UTILIZATION_80),
                                pods(new MetricTargetBuilder().withType("AverageValue").withAverageValue(milli(400)).build())),
                        List.of(podsStatus(CURRENT_AVERAGE_50M), resourceStatus(CURRENT_50_PERCENT)), "50m/100m, cpu: 50%/80% + 1 more..."),
                row("formatHPAMetrics: a Utilization target without a percentage prints <auto>",
                        List.of(resource(new MetricTargetBuilder().withType("Utilization").build())), List.of(), "cpu: <unknown>/<auto>"),
                row("formatHPAMetrics: an unknown metric type", List.of(new MetricSpecBuilder().withType("Custom").build()), List.of(),
                        "<unknown type>"),
                row("Quantity.String: targets print in canonical form (1024Mi is 1Gi)",
                        List.of(new MetricSpecBuilder().withType("Resource").withNewResource().withName("memory")
                                .withTarget(new MetricTargetBuilder().withType("AverageValue").withAverageValue(new Quantity("1024Mi")).build())
                                .endResource().build()),
                        List.of(new MetricStatusBuilder().withType("Resource").withNewResource().withName("memory").withCurrent(
                                new MetricValueStatusBuilder().withAverageValue(new Quantity("0.5Gi")).build()).endResource().build()),
                        "memory: 512Mi/1Gi"),
                arguments("TestTableRowDeepCopyShouldNotPanic: HorizontalPodAutoscaler", new HorizontalPodAutoscaler(),
                        List.of("", "/", "<none>", "<unset>", 0L, 0L, "<unknown>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void printHPA(String upstreamCase, HorizontalPodAutoscaler hpa, List<Object> cells) {
        assertThat(wide(AutoscalerTable.TABLE, hpa)).containsExactlyElementsOf(cells);
    }

    /** upstream's common shape: min 2, max 10, 4 current of 5 desired replicas, scaling some-rc. */
    private static Arguments row(String upstreamCase, List<MetricSpec> metrics, List<MetricStatus> current, String targets) {
        HorizontalPodAutoscaler hpa = new HorizontalPodAutoscalerBuilder().withMetadata(named("some-hpa")).withNewSpec()
                .withNewScaleTargetRef().withName("some-rc").withKind("ReplicationController").endScaleTargetRef()
                .withMinReplicas(2).withMaxReplicas(10).withMetrics(metrics).endSpec()
                .withNewStatus().withCurrentReplicas(4).withDesiredReplicas(5).withCurrentMetrics(current).endStatus().build();
        return arguments(upstreamCase, hpa, List.of("some-hpa", "ReplicationController/some-rc", targets, "2", 10L, 4L, "<unknown>"));
    }

    private static MetricSpec external(MetricTarget target) {
        return new MetricSpecBuilder().withType("External").withNewExternal().withNewMetric().withName("some-external-metric").endMetric()
                .withTarget(target).endExternal().build();
    }

    private static MetricStatus externalStatus(MetricValueStatus current) {
        return new MetricStatusBuilder().withType("External").withNewExternal().withNewMetric().withName("some-external-metric").endMetric()
                .withCurrent(current).endExternal().build();
    }

    private static MetricSpec pods(MetricTarget target) {
        return new MetricSpecBuilder().withType("Pods").withNewPods().withNewMetric().withName("some-pods-metric").endMetric()
                .withTarget(target).endPods().build();
    }

    private static MetricStatus podsStatus(MetricValueStatus current) {
        return new MetricStatusBuilder().withType("Pods").withNewPods().withNewMetric().withName("some-pods-metric").endMetric()
                .withCurrent(current).endPods().build();
    }

    private static MetricSpec object(MetricTarget target) {
        return new MetricSpecBuilder().withType("Object").withNewObject().withNewDescribedObject().withName("some-service").withKind("Service")
                .endDescribedObject().withNewMetric().withName("some-service-metric").endMetric().withTarget(target).endObject().build();
    }

    private static MetricStatus objectStatus(MetricValueStatus current) {
        return new MetricStatusBuilder().withType("Object").withNewObject().withNewDescribedObject().withName("some-service").withKind("Service")
                .endDescribedObject().withNewMetric().withName("some-service-metric").endMetric().withCurrent(current).endObject().build();
    }

    private static MetricSpec resource(MetricTarget target) {
        return new MetricSpecBuilder().withType("Resource").withNewResource().withName("cpu").withTarget(target).endResource().build();
    }

    private static MetricStatus resourceStatus(MetricValueStatus current) {
        return new MetricStatusBuilder().withType("Resource").withNewResource().withName("cpu").withCurrent(current).endResource().build();
    }

    private static MetricSpec containerResource(MetricTarget target) {
        return new MetricSpecBuilder().withType("ContainerResource").withNewContainerResource().withName("cpu").withContainer("application")
                .withTarget(target).endContainerResource().build();
    }

    private static MetricStatus containerResourceStatus(MetricValueStatus current) {
        return new MetricStatusBuilder().withType("ContainerResource").withNewContainerResource().withName("cpu").withContainer("application")
                .withCurrent(current).endContainerResource().build();
    }

    /** {@code resource.NewMilliQuantity(n, resource.DecimalSI)}. */
    private static Quantity milli(int n) {
        return new Quantity(n + "m");
    }
}
