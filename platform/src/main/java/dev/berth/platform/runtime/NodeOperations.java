package dev.berth.platform.runtime;

import dev.berth.platform.controller.PodTermination;
import dev.berth.platform.engine.EngineException;
import dev.berth.platform.engine.NodeAction;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.StoreException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code berth nodes cordon|uncordon|drain|fail|recover}: cordon marks a node unschedulable; drain cordons it and
 * evicts its pods gracefully (their controllers re-create them elsewhere); fail marks it NotReady, which makes the
 * kubelet kill its replicas at once and mark them Failed (NodeLost), as if the machine died; recover brings it
 * back Ready (still cordoned if it was).
 */
public final class NodeOperations {

    private final ObjectStore store;
    private final PodTermination termination;
    private final EventRecorder events;
    private final Clock clock;

    public NodeOperations(ObjectStore store, PodTermination termination, EventRecorder events, Clock clock) {
        this.store = store;
        this.termination = termination;
        this.events = events;
        this.clock = clock;
    }

    public Node apply(String name, NodeAction action) {
        ObjectKey key = new ObjectKey(ResourceKind.NODE, null, name);
        try {
            Node node = switch (action) {
                case CORDON -> unschedulable(key, true);
                case UNCORDON -> unschedulable(key, false);
                case DRAIN -> {
                    Node cordoned = unschedulable(key, true);
                    for (Pod p : podsOn(name)) {
                        termination.terminate(p, "node-drain");
                    }
                    yield cordoned;
                }
                case FAIL -> ready(key, false, "NodeFailed", "berth nodes fail: the node is considered dead");
                case RECOVER -> ready(key, true, "KubeletReady", "kubelet is posting ready status");
            };
            events.record(node, "node-controller", action == NodeAction.FAIL ? EventRecorder.WARNING : EventRecorder.NORMAL,
                    reason(action), "Node " + name + " " + action.name().toLowerCase(java.util.Locale.ROOT) + "ed");
            return node;
        } catch (StoreException e) {
            throw new EngineException(404, "node " + name + " not found");
        }
    }

    private static String reason(NodeAction action) {
        return switch (action) {
            case CORDON -> "NodeNotSchedulable";
            case UNCORDON -> "NodeSchedulable";
            case DRAIN -> "NodeDrained";
            case FAIL -> "NodeNotReady";
            case RECOVER -> "NodeReady";
        };
    }

    private List<Pod> podsOn(String node) {
        List<Pod> pods = new ArrayList<>();
        for (Pod p : store.<Pod>list(ResourceKind.POD, null, null)) {
            if (node.equals(p.getSpec().getNodeName()) && !PodStatuses.isTerminating(p)) {
                pods.add(p);
            }
        }
        return pods;
    }

    private Node unschedulable(ObjectKey key, boolean value) {
        return store.<Node>mutate(key, n -> {
            n.getSpec().setUnschedulable(value ? Boolean.TRUE : null);
            return n;
        });
    }

    private Node ready(ObjectKey key, boolean value, String reason, String message) {
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        return store.<Node>mutate(key, n -> {
            List<NodeCondition> conditions = new ArrayList<>(n.getStatus().getConditions());
            conditions.removeIf(c -> "Ready".equals(c.getType()));
            conditions.add(new NodeConditionBuilder().withType("Ready").withStatus(value ? "True" : "False").withReason(reason)
                    .withMessage(message).withLastHeartbeatTime(now).withLastTransitionTime(now).build());
            n.getStatus().setConditions(conditions);
            return n;
        });
    }
}
