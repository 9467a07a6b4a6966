package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Cells.list;
import static dev.berth.platform.apiserver.printing.Cells.str;

import dev.berth.platform.apiserver.printing.KindTable.Row;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code kubectl get nodes}: upstream's {@code printNode}. STATUS is {@code Ready}/{@code NotReady} (or
 * {@code Unknown} without a Ready condition), with {@code SchedulingDisabled} for a cordoned node; ROLES come from
 * {@code node-role.kubernetes.io/<role>} and {@code kubernetes.io/role} labels. Pure.
 */
final class NodeTable {

    /** {@code NodeSystemInfo{}.SwaggerDoc()["kubeletVersion"]}. */
    private static final String NODESYSTEMINFO_KUBELETVERSION =
            "Kubelet Version reported by the node.";
    /** {@code NodeStatus{}.SwaggerDoc()["addresses"]}. */
    private static final String NODESTATUS_ADDRESSES =
            "List of addresses reachable to the node. Queried from cloud provider, if available. More info: "
            + "https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared "
            + "as mergeable, but the merge key is not sufficiently unique, which can cause data corruption "
            + "when it is merged. Callers should instead use a full-replacement patch. See "
            + "https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change "
            + "during the lifetime of a Node. However, there are some exceptions where this may not be "
            + "possible, such as Pods that inherit a Node's address in its own status or consumers of the "
            + "downward API (status.hostIP).";
    /** {@code NodeSystemInfo{}.SwaggerDoc()["osImage"]}. */
    private static final String NODESYSTEMINFO_OSIMAGE =
            "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).";
    /** {@code NodeSystemInfo{}.SwaggerDoc()["kernelVersion"]}. */
    private static final String NODESYSTEMINFO_KERNELVERSION =
            "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).";
    /** {@code NodeSystemInfo{}.SwaggerDoc()["containerRuntimeVersion"]}. */
    private static final String NODESYSTEMINFO_CONTAINERRUNTIMEVERSION =
            "ContainerRuntime Version reported by the node through runtime remote API (e.g. "
            + "containerd://1.4.2).";

    static final KindTable<Node> TABLE = new KindTable<>("v1", "Node", Node.class, List.of(
            TableColumn.NAME,
            TableColumn.string("Status", "The status of the node"),
            TableColumn.string("Roles", "The roles of the node"),
            TableColumn.AGE,
            TableColumn.string("Version", NODESYSTEMINFO_KUBELETVERSION),
            TableColumn.wide("Internal-IP", NODESTATUS_ADDRESSES),
            TableColumn.wide("External-IP", NODESTATUS_ADDRESSES),
            TableColumn.wide("OS-Image", NODESYSTEMINFO_OSIMAGE),
            TableColumn.wide("Kernel-Version", NODESYSTEMINFO_KERNELVERSION),
            TableColumn.wide("Container-Runtime", NODESYSTEMINFO_CONTAINERRUNTIMEVERSION)), NodeTable::print);

    private static final String LABEL_NODE_ROLE_PREFIX = "node-role.kubernetes.io/";
    private static final String NODE_LABEL_ROLE = "kubernetes.io/role";

    private NodeTable() {}

    static Row print(Node node, Ages ages) {
        NodeStatus status = node.getStatus() == null ? new NodeStatus() : node.getStatus();
        NodeSystemInfo info = status.getNodeInfo() == null ? new NodeSystemInfo() : status.getNodeInfo();
        NodeCondition ready = null;
        for (NodeCondition c : list(status.getConditions())) { // the last condition of a type wins, as in upstream's map
            if ("Ready".equals(c.getType())) {
                ready = c;
            }
        }
        List<String> states = new ArrayList<>();
        states.add(ready == null ? "Unknown" : "True".equals(ready.getStatus()) ? "Ready" : "NotReady");
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            states.add("SchedulingDisabled");
        }
        return Row.of(Cells.name(node), String.join(",", states), Cells.orNone(String.join(",", roles(node))), ages.created(node),
                str(info.getKubeletVersion()), address(status, "InternalIP"), address(status, "ExternalIP"), known(info.getOsImage()),
                known(info.getKernelVersion()), known(info.getContainerRuntimeVersion()));
    }

    /** {@code findNodeRoles}: sorted, unique. */
    private static TreeSet<String> roles(Node node) {
        TreeSet<String> roles = new TreeSet<>();
        Map<String, String> labels = node.getMetadata() == null ? Map.of() : Cells.map(node.getMetadata().getLabels());
        for (Map.Entry<String, String> l : labels.entrySet()) {
            if (l.getKey().startsWith(LABEL_NODE_ROLE_PREFIX)) {
                String role = l.getKey().substring(LABEL_NODE_ROLE_PREFIX.length());
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            } else if (l.getKey().equals(NODE_LABEL_ROLE) && !Cells.isEmpty(l.getValue())) {
                roles.add(l.getValue());
            }
        }
        return roles;
    }

    /** The first address of the type, or {@code <none>}. */
    private static String address(NodeStatus status, String type) {
        return list(status.getAddresses()).stream().filter(a -> type.equals(a.getType())).map(NodeAddress::getAddress).map(Cells::str)
                .findFirst().orElse(Cells.NONE);
    }

    private static String known(String s) {
        return Cells.isEmpty(s) ? Ages.UNKNOWN : s;
    }
}
