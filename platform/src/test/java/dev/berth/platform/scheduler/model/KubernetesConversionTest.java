package dev.berth.platform.scheduler.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import dev.berth.platform.scheduler.KubeObjects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class KubernetesConversionTest {

    private static final long MI = 1024L * 1024;

    @Test
    void convertsANode() {
        Node node = new NodeBuilder()
                .withNewMetadata().withName("worker-1").withLabels(Map.of(NodeInfo.LABEL_ZONE, "eu-1a", "disktype", "ssd")).endMetadata()
                .withNewSpec().withUnschedulable(true)
                .addNewTaint().withKey("dedicated").withValue("infra").withEffect("NoSchedule").endTaint()
                .endSpec()
                .withNewStatus()
                .withCapacity(Map.of("cpu", new Quantity("8"), "memory", new Quantity("32Gi"), "pods", new Quantity("110")))
                .withAllocatable(Map.of("cpu", new Quantity("7800m"), "memory", new Quantity("30Gi"), "pods", new Quantity("58")))
                .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus()
                .build();

        NodeInfo info = NodeInfo.of(node);

        assertThat(info.name()).isEqualTo("worker-1");
        assertThat(info.allocatable()).isEqualTo(Resources.of(7800, 30 * 1024 * MI));
        assertThat(info.maxPods()).isEqualTo(58);
        assertThat(info.labels()).containsEntry(NodeInfo.LABEL_HOSTNAME, "worker-1").containsEntry("disktype", "ssd");
        assertThat(info.zone()).isEqualTo("eu-1a");
        assertThat(info.taints()).containsExactly(Taint.of("dedicated", "infra", TaintEffect.NO_SCHEDULE));
        assertThat(info.unschedulable()).isTrue();
        assertThat(info.ready()).isTrue();
        assertThat(info.requested()).isEqualTo(Resources.ZERO);
        assertThat(info.index()).isEqualTo(-1);
    }

    @Test
    void aNodeWithoutReadyConditionIsNotReady() {
        Node node = new NodeBuilder().withNewMetadata().withName("new").endMetadata()
                .withNewStatus().withCapacity(Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi"))).endStatus().build();

        NodeInfo info = NodeInfo.of(node);

        assertThat(info.ready()).isFalse();
        assertThat(info.allocatable()).as("capacity when allocatable is missing").isEqualTo(Resources.of(2000, 4096 * MI));
        assertThat(info.maxPods()).isEqualTo(NodeInfo.DEFAULT_MAX_PODS);
    }

    private static Container container(String name, String cpu, String memory, String restartPolicy) {
        ContainerBuilder builder = new ContainerBuilder().withName(name).withRestartPolicy(restartPolicy);
        if (cpu != null) {
            builder.withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory)).endResources();
        }
        return builder.build();
    }

    static Stream<Arguments> requestCases() {
        return Stream.of(
                arguments("containers add up", List.of(container("a", "250m", "64Mi", null), container("b", "500m", "128Mi", null)),
                        List.of(), Map.of(), Resources.of(750, 192 * MI)),
                arguments("a bigger init container sets the floor", List.of(container("a", "250m", "64Mi", null)),
                        List.of(container("init", "1", "32Mi", null)), Map.of(), Resources.of(1000, 64 * MI)),
                arguments("init containers run one at a time: the max counts, not the sum", List.of(container("a", "100m", "64Mi", null)),
                        List.of(container("i1", "600m", "32Mi", null), container("i2", "600m", "32Mi", null)), Map.of(),
                        Resources.of(600, 64 * MI)),
                arguments("a sidecar runs alongside: added to the containers and to later init containers",
                        List.of(container("a", "100m", "64Mi", null)),
                        List.of(container("proxy", "200m", "32Mi", "Always"), container("migrate", "900m", "16Mi", null)), Map.of(),
                        Resources.of(1100, 96 * MI)),
                arguments("pod overhead is added", List.of(container("a", "100m", "64Mi", null)), List.of(),
                        Map.of("cpu", new Quantity("50m"), "memory", new Quantity("16Mi")), Resources.of(150, 80 * MI)),
                arguments("no requests at all", List.of(container("a", null, null, null)), List.of(), Map.of(), Resources.ZERO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void effectiveRequests(String description, List<Container> containers, List<Container> initContainers,
                           Map<String, Quantity> overhead, Resources expected) {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().withContainers(containers).withInitContainers(initContainers).withOverhead(overhead).endSpec().build();

        assertThat(PodInfo.of(pod).requests()).isEqualTo(expected);
    }

    /**
     * kube-scheduler's scoring requests ({@code NonMissingContainerRequests}): each container (init containers too)
     * missing a CPU or memory request counts 100m / 200Mi for it; an explicit 0 stays 0; overhead is added as given.
     */
    static Stream<Arguments> nonZeroRequestCases() {
        long defaultMemory = 200 * MI;
        return Stream.of(
                arguments("no containers: nothing to stand in for", KubeObjects.pod(), Resources.ZERO),
                arguments("one container without requests", KubeObjects.pod().container(), Resources.of(100, defaultMemory)),
                arguments("two containers without requests: once per container", KubeObjects.pod().container().container(),
                        Resources.of(200, 2 * defaultMemory)),
                arguments("explicit zeros stay zero", KubeObjects.pod().req("0", "0"), Resources.ZERO),
                arguments("only the missing resource is replaced", KubeObjects.pod().req("250m", null), Resources.of(250, defaultMemory)),
                arguments("per container, not on the pod's total", KubeObjects.pod().req("1", "0").req(null, "64Mi"),
                        Resources.of(1100, 64 * MI)),
                arguments("an init container without requests sets a floor of the defaults", KubeObjects.pod().req("50m", "10Mi").initReq(null, null),
                        Resources.of(100, defaultMemory)),
                arguments("a sidecar without requests adds the defaults", KubeObjects.pod().req("50m", "10Mi").sidecarReq(null, null),
                        Resources.of(150, 10 * MI + defaultMemory)),
                arguments("overhead is added to the substituted requests", KubeObjects.pod().container().overhead("10m", "1Mi"),
                        Resources.of(110, defaultMemory + MI)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonZeroRequestCases")
    void nonZeroRequestsPerContainer(String description, KubeObjects.MakePod pod, Resources expected) {
        assertThat(pod.info().nonZeroRequests()).isEqualTo(expected);
    }

    @Test
    void aLimitWithoutRequestIsTheRequest() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .addNewContainer().withName("a").withNewResources()
                .addToLimits("cpu", new Quantity("2")).addToLimits("memory", new Quantity("1Gi"))
                .addToRequests("cpu", new Quantity("500m")).endResources().endContainer()
                .endSpec().build();

        assertThat(PodInfo.of(pod).requests()).isEqualTo(Resources.of(500, 1024 * MI));
    }

    @Test
    void convertsPlacementRules() {
        Pod pod = new PodBuilder()
                .withNewMetadata().withNamespace("shop").withName("web-7d9-abc").withLabels(Map.of("app", "web", "pod-template-hash", "7d9"))
                .endMetadata()
                .withNewSpec()
                .withNodeSelector(Map.of("disktype", "ssd"))
                .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey(NodeInfo.LABEL_ZONE).withOperator("In")
                .withValues("eu-1a", "eu-1b").endMatchExpression().endNodeSelectorTerm()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("cores").withOperator("Gt").withValues("8").endMatchExpression()
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
                .addNewToleration().withKey("dedicated").withOperator("Equal").withValue("web").withEffect("NoSchedule").endToleration()
                .addNewToleration().withOperator("Exists").endToleration()
                .addNewContainer().withName("web").addNewPort().withContainerPort(8080).withHostPort(80).endPort()
                .addNewPort().withContainerPort(9090).endPort().endContainer()
                .addNewTopologySpreadConstraint().withMaxSkew(1).withTopologyKey(NodeInfo.LABEL_ZONE).withWhenUnsatisfiable("DoNotSchedule")
                .withNewLabelSelector().withMatchLabels(Map.of("app", "web")).endLabelSelector()
                .withMatchLabelKeys("pod-template-hash").endTopologySpreadConstraint()
                .addNewTopologySpreadConstraint().withMaxSkew(2).withTopologyKey(NodeInfo.LABEL_HOSTNAME)
                .withWhenUnsatisfiable("ScheduleAnyway").endTopologySpreadConstraint()
                .withNodeName("worker-1")
                .endSpec().build();

        PodInfo info = PodInfo.of(pod);

        assertThat(info.key()).isEqualTo("shop/web-7d9-abc");
        assertThat(info.nodeSelector()).containsExactly(Map.entry("disktype", "ssd"));
        assertThat(info.requiredNodeAffinity()).containsExactly(
                NodeSelectorTerm.of(SelectorRequirement.in(NodeInfo.LABEL_ZONE, "eu-1a", "eu-1b")),
                NodeSelectorTerm.of(SelectorRequirement.gt("cores", 8)));
        assertThat(info.tolerations()).containsExactly(
                Toleration.equal("dedicated", "web", TaintEffect.NO_SCHEDULE), Toleration.everything());
        assertThat(info.hostPorts()).containsExactly(HostPort.tcp(80));
        assertThat(info.topologySpreadConstraints()).containsExactly(
                new TopologySpreadConstraint(1, NodeInfo.LABEL_ZONE, TopologySpreadConstraint.WhenUnsatisfiable.DO_NOT_SCHEDULE,
                        new LabelSelector(Map.of("app", "web"), List.of(SelectorRequirement.in("pod-template-hash", "7d9")))),
                new TopologySpreadConstraint(2, NodeInfo.LABEL_HOSTNAME, TopologySpreadConstraint.WhenUnsatisfiable.SCHEDULE_ANYWAY, null));
        assertThat(info.isBound()).isTrue();
        assertThat(info.nodeName()).isEqualTo("worker-1");
        assertThat(info.terminating()).isFalse();
    }

    @Test
    void aDeletionTimestampMakesThePodTerminating() {
        assertThat(KubeObjects.pod().terminating().info().terminating()).isTrue();
    }
}
