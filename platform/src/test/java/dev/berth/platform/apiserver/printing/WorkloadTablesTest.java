package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Printed.almostNow;
import static dev.berth.platform.apiserver.printing.Printed.created;
import static dev.berth.platform.apiserver.printing.Printed.narrow;
import static dev.berth.platform.apiserver.printing.Printed.wide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** upstream's apps/v1 table cases (printers_test.go), each row naming its case. */
class WorkloadTablesTest {

    private static final LabelSelector FOO_BAR = new LabelSelectorBuilder().withMatchLabels(Map.of("foo", "bar")).build();
    private static final List<Object> CONTAINERS = List.of("fake-container1,fake-container2", "fake-image1,fake-image2");

    static Stream<Arguments> deployment() {
        Deployment d = new DeploymentBuilder().withMetadata(created("test1", almostNow())).withNewSpec().withReplicas(5)
                .withTemplate(twoContainers()).withSelector(FOO_BAR).endSpec()
                .withNewStatus().withReplicas(10).withUpdatedReplicas(2).withAvailableReplicas(1).withUnavailableReplicas(4).endStatus().build();
        return Stream.of(
                arguments("TestPrintDeployment: no generate options", d, false, List.of("test1", "0/5", 2L, 1L, "0s")),
                arguments("TestPrintDeployment: generate options Wide", d, true,
                        List.of("test1", "0/5", 2L, 1L, "0s", CONTAINERS.get(0), CONTAINERS.get(1), "foo=bar")),
                arguments("metav1.LabelSelectorAsSelector: requirements sorted by key, set values sorted",
                        new DeploymentBuilder().withMetadata(created("web", almostNow())).withNewSpec().withReplicas(1)
                                .withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "front"))
                                        .addNewMatchExpression().withKey("app").withOperator("In").withValues("web", "api").endMatchExpression()
                                        .addNewMatchExpression().withKey("canary").withOperator("DoesNotExist").endMatchExpression()
                                        .addNewMatchExpression().withKey("env").withOperator("NotIn").withValues("dev").endMatchExpression()
                                        .addNewMatchExpression().withKey("zone").withOperator("Exists").endMatchExpression().build())
                                .endSpec().build(), true,
                        List.of("web", "0/1", 0L, 0L, "0s", "", "", "app in (api,web),!canary,env notin (dev),tier=front,zone")),
                arguments("printDeployment: a selector apimachinery refuses prints <invalid>",
                        new DeploymentBuilder().withMetadata(created("bad", almostNow())).withNewSpec()
                                .withSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey("app").withOperator("Near")
                                        .endMatchExpression().build()).endSpec().build(), true,
                        List.of("bad", "0/0", 0L, 0L, "0s", "", "", "<invalid>")),
                arguments("TestTableRowDeepCopyShouldNotPanic: Deployment", new Deployment(), true,
                        List.of("", "0/0", 0L, 0L, "<unknown>", "", "", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void deployment(String upstreamCase, Deployment d, boolean wide, List<Object> cells) {
        assertThat(cells(WorkloadTables.DEPLOYMENT, d, wide)).containsExactlyElementsOf(cells);
    }

    static Stream<Arguments> replicaSet() {
        ReplicaSet rs = new ReplicaSetBuilder().withMetadata(created("test1", almostNow())).withNewSpec().withReplicas(5)
                .withTemplate(twoContainers()).withSelector(FOO_BAR).endSpec().withNewStatus().withReplicas(5).withReadyReplicas(2).endStatus()
                .build();
        return Stream.of(
                arguments("TestPrintReplicaSet: generate options empty", rs, false, List.of("test1", 5L, 5L, 2L, "0s")),
                arguments("TestPrintReplicaSet: generate options Wide", rs, true,
                        List.of("test1", 5L, 5L, 2L, "0s", CONTAINERS.get(0), CONTAINERS.get(1), "foo=bar")),
                arguments("TestPrintReplicaSetList: replicaset1",
                        new ReplicaSetBuilder().withMetadata(created("replicaset1", almostNow())).withNewSpec().withReplicas(5)
                                .withTemplate(twoContainers()).endSpec().withNewStatus().withReplicas(5).withReadyReplicas(2).endStatus().build(),
                        false, List.of("replicaset1", 5L, 5L, 2L, "0s")),
                arguments("TestPrintReplicaSetList: replicaset2",
                        new ReplicaSetBuilder().withMetadata(created("replicaset2", almostNow())).withNewSpec().withReplicas(4)
                                .withTemplate(new PodTemplateSpec()).withSelector(FOO_BAR).endSpec()
                                .withNewStatus().withReplicas(3).withReadyReplicas(1).endStatus().build(),
                        false, List.of("replicaset2", 4L, 3L, 1L, "0s")),
                arguments("metav1.FormatLabelSelector: no selector prints <none>",
                        new ReplicaSetBuilder().withMetadata(created("replicaset1", almostNow())).withNewSpec().withReplicas(5).endSpec().build(),
                        true, List.of("replicaset1", 5L, 0L, 0L, "0s", "", "", "<none>")),
                arguments("metav1.FormatLabelSelector: a selector apimachinery refuses prints <error>",
                        new ReplicaSetBuilder().withMetadata(created("bad", almostNow())).withNewSpec()
                                .withSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey("app").withOperator("In")
                                        .endMatchExpression().build()).endSpec().build(),
                        true, List.of("bad", 0L, 0L, 0L, "0s", "", "", "<error>")),
                arguments("TestTableRowDeepCopyShouldNotPanic: ReplicaSet", new ReplicaSet(), true,
                        List.of("", 0L, 0L, 0L, "<unknown>", "", "", "<none>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void replicaSet(String upstreamCase, ReplicaSet rs, boolean wide, List<Object> cells) {
        assertThat(cells(WorkloadTables.REPLICA_SET, rs, wide)).containsExactlyElementsOf(cells);
    }

    static Stream<Arguments> statefulSet() {
        StatefulSet s = new StatefulSetBuilder().withMetadata(created("test1", almostNow())).withNewSpec().withReplicas(5)
                .withTemplate(twoContainers()).endSpec().withNewStatus().withReplicas(5).withReadyReplicas(2).endStatus().build();
        return Stream.of(
                arguments("TestPrintStatefulSet: basic stateful set; no generate options", s, false, List.of("test1", "2/5", "0s")),
                arguments("TestPrintStatefulSet: generate options Wide; includes containers and images", s, true,
                        List.of("test1", "2/5", "0s", CONTAINERS.get(0), CONTAINERS.get(1))),
                arguments("TestTableRowDeepCopyShouldNotPanic: StatefulSet", new StatefulSet(), true, List.of("", "0/0", "<unknown>", "", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void statefulSet(String upstreamCase, StatefulSet s, boolean wide, List<Object> cells) {
        assertThat(cells(WorkloadTables.STATEFUL_SET, s, wide)).containsExactlyElementsOf(cells);
    }

    static Stream<Arguments> controllerRevision() {
        return Stream.of(
                arguments("TestPrintControllerRevision: test1, controlled by a DaemonSet",
                        revision(new ObjectMetaBuilder(created("test1", almostNow())).withOwnerReferences(new OwnerReferenceBuilder()
                                .withController(true).withApiVersion("apps/v1").withKind("DaemonSet").withName("foo").build()).build(), 1L),
                        List.of("test1", "daemonset.apps/foo", 1L, "0s")),
                arguments("TestPrintControllerRevision: test2, an owner that is not the controller",
                        revision(new ObjectMetaBuilder(created("test2", almostNow())).withOwnerReferences(new OwnerReferenceBuilder()
                                .withController(false).withKind("ABC").withName("foo").build()).build(), 2L),
                        List.of("test2", "<none>", 2L, "0s")),
                arguments("TestPrintControllerRevision: test3, empty owner references",
                        revision(new ObjectMetaBuilder(created("test3", almostNow())).withOwnerReferences(List.of()).build(), 3L),
                        List.of("test3", "<none>", 3L, "0s")),
                arguments("TestPrintControllerRevision: test4, no owner references",
                        revision(created("test4", almostNow()), 4L), List.of("test4", "<none>", 4L, "0s")),
                arguments("TestFormatResourceName: a core kind has no group",
                        revision(new ObjectMetaBuilder(created("web-1", almostNow())).withOwnerReferences(new OwnerReferenceBuilder()
                                .withController(true).withApiVersion("v1").withKind("Pod").withName("web-0").build()).build(), 1L),
                        List.of("web-1", "pod/web-0", 1L, "0s")),
                arguments("TestTableRowDeepCopyShouldNotPanic: ControllerRevision", new ControllerRevision(), List.of("", "<none>", 0L, "<unknown>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void controllerRevision(String upstreamCase, ControllerRevision r, List<Object> cells) {
        assertThat(wide(WorkloadTables.CONTROLLER_REVISION, r)).containsExactlyElementsOf(cells);
    }

    @Test
    void aControllerReferenceWithAnUnparsableApiVersionIsAnErrorAsUpstreamsParseGroupVersion() {
        ControllerRevision r = revision(new ObjectMetaBuilder(created("r", almostNow())).withOwnerReferences(new OwnerReferenceBuilder()
                .withController(true).withApiVersion("apps/v1/extra").withKind("StatefulSet").withName("web").build()).build(), 1L);

        assertThatThrownBy(() -> wide(WorkloadTables.CONTROLLER_REVISION, r))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unexpected GroupVersion string: apps/v1/extra");
    }

    private static List<Object> cells(KindTable<?> table, HasMetadata object, boolean wide) {
        return wide ? wide(table, object) : narrow(table, object);
    }

    private static PodTemplateSpec twoContainers() {
        return new PodTemplateSpecBuilder().withNewSpec()
                .withContainers(new ContainerBuilder().withName("fake-container1").withImage("fake-image1").build(),
                        new ContainerBuilder().withName("fake-container2").withImage("fake-image2").build())
                .endSpec().build();
    }

    private static ControllerRevision revision(ObjectMeta meta, long revision) {
        return new ControllerRevisionBuilder().withMetadata(meta).withRevision(revision).build();
    }
}
