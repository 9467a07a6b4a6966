package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Printed.named;
import static dev.berth.platform.apiserver.printing.Printed.narrow;
import static dev.berth.platform.apiserver.printing.Printed.wide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.NodeSystemInfoBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** upstream's printNode table cases (printers_test.go TestPrintNode*), each row naming its case. */
class NodeTableTest {

    private static final NodeCondition READY = condition("Ready", "True");
    private static final NodeCondition NOT_READY = condition("Ready", "False");
    private static final NodeCondition INVALID = condition("InvalidValue", "True");
    private static final NodeCondition EMPTY = new NodeCondition();

    static Stream<Arguments> narrowRow() {
        return Stream.of(
                arguments("TestPrintNodeStatus: foo1 Ready", node("foo1", false, READY), List.of("foo1", "Ready", "<none>", "<unknown>", "")),
                arguments("TestPrintNodeStatus: foo2 Ready and unschedulable", node("foo2", true, READY),
                        List.of("foo2", "Ready,SchedulingDisabled", "<none>", "<unknown>", "")),
                arguments("TestPrintNodeStatus: foo3 two Ready conditions", node("foo3", false, READY, READY),
                        List.of("foo3", "Ready", "<none>", "<unknown>", "")),
                arguments("TestPrintNodeStatus: foo4 NotReady", node("foo4", false, NOT_READY), List.of("foo4", "NotReady", "<none>", "<unknown>", "")),
                arguments("TestPrintNodeStatus: foo5 NotReady and unschedulable", node("foo5", true, NOT_READY),
                        List.of("foo5", "NotReady,SchedulingDisabled", "<none>", "<unknown>", "")),
                arguments("TestPrintNodeStatus: foo6 an invalid condition", node("foo6", false, INVALID), List.of("foo6", "Unknown", "<none>", "<unknown>", "")),
                arguments("TestPrintNodeStatus: foo7 an empty condition", node("foo7", false, EMPTY), List.of("foo7", "Unknown", "<none>", "<unknown>", "")),
                arguments("TestPrintNodeStatus: foo8 an invalid condition, unschedulable", node("foo8", true, INVALID),
                        List.of("foo8", "Unknown,SchedulingDisabled", "<none>", "<unknown>", "")),
                arguments("TestPrintNodeStatus: foo9 an empty condition, unschedulable", node("foo9", true, EMPTY),
                        List.of("foo9", "Unknown,SchedulingDisabled", "<none>", "<unknown>", "")),
                arguments("TestPrintNodeRole: no labels", node("foo9", false), List.of("foo9", "Unknown", "<none>", "<unknown>", "")),
                arguments("TestPrintNodeRole: node-role.kubernetes.io/ and kubernetes.io/role labels",
                        labelled("foo10", Map.of("node-role.kubernetes.io/master", "", "node-role.kubernetes.io/control-plane", "",
                                "node-role.kubernetes.io/proxy", "", "kubernetes.io/role", "node")),
                        List.of("foo10", "Unknown", "control-plane,master,node,proxy", "<unknown>", "")),
                arguments("TestPrintNodeRole: kubernetes.io/role label only", labelled("foo11", Map.of("kubernetes.io/role", "node")),
                        List.of("foo11", "Unknown", "node", "<unknown>", "")),
                arguments("findNodeRoles: an empty role name or value is no role",
                        labelled("foo12", Map.of("node-role.kubernetes.io/", "", "kubernetes.io/role", "")),
                        List.of("foo12", "Unknown", "<none>", "<unknown>", "")),
                arguments("TestPrintNodeName: an IP as the name", node("127.0.0.1", false), List.of("127.0.0.1", "Unknown", "<none>", "<unknown>", "")),
                arguments("TestPrintNodeName: an empty name", node("", false), List.of("", "Unknown", "<none>", "<unknown>", "")),
                arguments("printNode: the kubelet version", new NodeBuilder().withMetadata(named("v")).withNewStatus()
                        .withNodeInfo(new NodeSystemInfoBuilder().withKubeletVersion("v1.35.0").build()).endStatus().build(),
                        List.of("v", "Unknown", "<none>", "<unknown>", "v1.35.0")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void narrowRow(String upstreamCase, Node node, List<Object> cells) {
        assertThat(narrow(NodeTable.TABLE, node)).containsExactlyElementsOf(cells);
    }

    static Stream<Arguments> wideRow() {
        NodeAddress external = address("ExternalIP", "1.1.1.1");
        return Stream.of(
                arguments("TestPrintNodeOSImage: foo1", info("foo1", new NodeSystemInfoBuilder().withOsImage("fake-os-image").build(), external),
                        List.of("foo1", "Unknown", "<none>", "<unknown>", "", "<none>", "1.1.1.1", "fake-os-image", "<unknown>", "<unknown>")),
                arguments("TestPrintNodeOSImage: foo2", info("foo2", new NodeSystemInfoBuilder().withKernelVersion("fake-kernel-version").build(), external),
                        List.of("foo2", "Unknown", "<none>", "<unknown>", "", "<none>", "1.1.1.1", "<unknown>", "fake-kernel-version", "<unknown>")),
                arguments("TestPrintNodeKernelVersion: foo1",
                        info("foo1", new NodeSystemInfoBuilder().withKernelVersion("fake-kernel-version").build(), external),
                        List.of("foo1", "Unknown", "<none>", "<unknown>", "", "<none>", "1.1.1.1", "<unknown>", "fake-kernel-version", "<unknown>")),
                arguments("TestPrintNodeKernelVersion: foo2", info("foo2", new NodeSystemInfoBuilder().withOsImage("fake-os-image").build(), external),
                        List.of("foo2", "Unknown", "<none>", "<unknown>", "", "<none>", "1.1.1.1", "fake-os-image", "<unknown>", "<unknown>")),
                arguments("TestPrintNodeContainerRuntimeVersion: foo1",
                        info("foo1", new NodeSystemInfoBuilder().withContainerRuntimeVersion("foo://1.2.3").build(), external),
                        List.of("foo1", "Unknown", "<none>", "<unknown>", "", "<none>", "1.1.1.1", "<unknown>", "<unknown>", "foo://1.2.3")),
                arguments("TestPrintNodeContainerRuntimeVersion: foo2", info("foo2", new NodeSystemInfo(), external),
                        List.of("foo2", "Unknown", "<none>", "<unknown>", "", "<none>", "1.1.1.1", "<unknown>", "<unknown>", "<unknown>")),
                arguments("TestPrintNodeExternalIP: foo1", addressed("foo1", external),
                        List.of("foo1", "Unknown", "<none>", "<unknown>", "", "<none>", "1.1.1.1", "<unknown>", "<unknown>", "<unknown>")),
                arguments("TestPrintNodeExternalIP: foo2", addressed("foo2", address("InternalIP", "1.1.1.1")),
                        List.of("foo2", "Unknown", "<none>", "<unknown>", "", "1.1.1.1", "<none>", "<unknown>", "<unknown>", "<unknown>")),
                arguments("TestPrintNodeExternalIP: foo3", addressed("foo3", address("ExternalIP", "2.2.2.2"), address("InternalIP", "3.3.3.3"),
                        address("ExternalIP", "4.4.4.4")),
                        List.of("foo3", "Unknown", "<none>", "<unknown>", "", "3.3.3.3", "2.2.2.2", "<unknown>", "<unknown>", "<unknown>")),
                arguments("TestPrintNodeInternalIP: foo1", addressed("foo1", address("InternalIP", "1.1.1.1")),
                        List.of("foo1", "Unknown", "<none>", "<unknown>", "", "1.1.1.1", "<none>", "<unknown>", "<unknown>", "<unknown>")),
                arguments("TestPrintNodeInternalIP: foo2", addressed("foo2", external),
                        List.of("foo2", "Unknown", "<none>", "<unknown>", "", "<none>", "1.1.1.1", "<unknown>", "<unknown>", "<unknown>")),
                arguments("TestPrintNodeInternalIP: foo3", addressed("foo3", address("InternalIP", "2.2.2.2"), address("ExternalIP", "3.3.3.3"),
                        address("InternalIP", "4.4.4.4")),
                        List.of("foo3", "Unknown", "<none>", "<unknown>", "", "2.2.2.2", "3.3.3.3", "<unknown>", "<unknown>", "<unknown>")),
                arguments("TestTableRowDeepCopyShouldNotPanic: Node", new Node(),
                        List.of("", "Unknown", "<none>", "<unknown>", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void wideRow(String upstreamCase, Node node, List<Object> cells) {
        assertThat(wide(NodeTable.TABLE, node)).containsExactlyElementsOf(cells);
    }

    private static Node node(String name, boolean unschedulable, NodeCondition... conditions) {
        return new NodeBuilder().withMetadata(named(name)).withNewSpec().withUnschedulable(unschedulable).endSpec()
                .withNewStatus().withConditions(conditions).endStatus().build();
    }

    private static Node labelled(String name, Map<String, String> labels) {
        return new NodeBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels).build()).build();
    }

    private static Node info(String name, NodeSystemInfo info, NodeAddress... addresses) {
        return new NodeBuilder().withMetadata(named(name)).withNewStatus().withNodeInfo(info).withAddresses(addresses).endStatus().build();
    }

    private static Node addressed(String name, NodeAddress... addresses) {
        return new NodeBuilder().withMetadata(named(name)).withNewStatus().withAddresses(addresses).endStatus().build();
    }

    private static NodeAddress address(String type, String address) {
        return new NodeAddress(address, type);
    }

    private static NodeCondition condition(String type, String status) {
        return new NodeConditionBuilder().withType(type).withStatus(status).build();
    }
}
