package dev.berth.platform.scheduler.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** fabric8 {@code Node}/{@code Pod} → {@link NodeInfo}/{@link PodInfo}, with the rules Kubernetes applies on the way. */
final class KubernetesConversion {

    private KubernetesConversion() {
    }

    static NodeInfo nodeInfo(Node node) {
        String name = node.getMetadata().getName();
        Map<String, String> labels = new LinkedHashMap<>(orEmpty(node.getMetadata().getLabels()));
        labels.putIfAbsent(NodeInfo.LABEL_HOSTNAME, name);
        Map<String, Quantity> allocatable = Map.of();
        boolean ready = false;
        if (node.getStatus() != null) {
            // allocatable is what is left for pods after system reservations; capacity only when the kubelet has not reported it
            allocatable = node.getStatus().getAllocatable() != null && !node.getStatus().getAllocatable().isEmpty()
                    ? node.getStatus().getAllocatable() : orEmpty(node.getStatus().getCapacity());
            for (NodeCondition condition : orEmpty(node.getStatus().getConditions())) {
                if ("Ready".equals(condition.getType())) {
                    ready = "True".equals(condition.getStatus());
                }
            }
        }
        List<Taint> taints = new ArrayList<>();
        boolean unschedulable = false;
        if (node.getSpec() != null) {
            unschedulable = Boolean.TRUE.equals(node.getSpec().getUnschedulable());
            for (io.fabric8.kubernetes.api.model.Taint taint : orEmpty(node.getSpec().getTaints())) {
                taints.add(new Taint(taint.getKey(), taint.getValue(), TaintEffect.fromKubernetes(taint.getEffect())));
            }
        }
        Quantity pods = allocatable.get("pods");
        int maxPods = pods == null ? NodeInfo.DEFAULT_MAX_PODS : pods.getNumericalAmount().intValue();
        Resources offered = resources(allocatable);
        return new NodeInfo(name, labels, taints, unschedulable, ready, offered.milliCpu(), offered.memoryBytes(), maxPods,
                0, 0, 0, 0, List.of(), 0, -1);
    }

    static PodInfo podInfo(Pod pod) {
        PodSpec spec = pod.getSpec();
        String namespace = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        Map<String, String> labels = orEmpty(pod.getMetadata().getLabels());
        List<NodeSelectorTerm> affinity = new ArrayList<>();
        if (spec.getAffinity() != null && spec.getAffinity().getNodeAffinity() != null
                && spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
            for (io.fabric8.kubernetes.api.model.NodeSelectorTerm term
                    : orEmpty(spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms())) {
                affinity.add(new NodeSelectorTerm(nodeRequirements(term.getMatchExpressions()), nodeRequirements(term.getMatchFields())));
            }
        }
        List<Toleration> tolerations = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.Toleration toleration : orEmpty(spec.getTolerations())) {
            Toleration.Operator operator = tolerationOperator(toleration.getOperator());
            // any other operator (Gt, Lt behind a disabled feature gate) tolerates nothing, as in Kubernetes' ToleratesTaint
            if (operator != null) {
                tolerations.add(new Toleration(toleration.getKey(), operator, toleration.getValue(),
                        TaintEffect.fromKubernetes(toleration.getEffect())));
            }
        }
        List<HostPort> hostPorts = new ArrayList<>();
        for (Container container : orEmpty(spec.getContainers())) {
            for (ContainerPort port : orEmpty(container.getPorts())) {
                if (port.getHostPort() != null && port.getHostPort() > 0) {
                    hostPorts.add(new HostPort(port.getProtocol(), port.getHostIP(), port.getHostPort()));
                }
            }
        }
        List<TopologySpreadConstraint> spread = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.TopologySpreadConstraint constraint : orEmpty(spec.getTopologySpreadConstraints())) {
            spread.add(new TopologySpreadConstraint(constraint.getMaxSkew(), constraint.getTopologyKey(),
                    "ScheduleAnyway".equals(constraint.getWhenUnsatisfiable())
                            ? TopologySpreadConstraint.WhenUnsatisfiable.SCHEDULE_ANYWAY
                            : TopologySpreadConstraint.WhenUnsatisfiable.DO_NOT_SCHEDULE,
                    spreadSelector(constraint, labels)));
        }
        return new PodInfo(namespace, pod.getMetadata().getName(), labels, podRequests(spec, Resources.ZERO),
                podRequests(spec, Resources.DEFAULT_REQUEST), orEmpty(spec.getNodeSelector()),
                affinity, tolerations, hostPorts, spread, spec.getNodeName(),
                pod.getMetadata().getDeletionTimestamp() != null);
    }

    /** {@code Exists}, {@code Equal} (also when empty), or {@code null} for an operator Berth does not model. */
    private static Toleration.Operator tolerationOperator(String operator) {
        if (operator == null || operator.isEmpty() || "Equal".equals(operator)) {
            return Toleration.Operator.EQUAL;
        }
        return "Exists".equals(operator) ? Toleration.Operator.EXISTS : null;
    }

    /**
     * Kubernetes' effective pod request: regular containers and sidecars (init containers with
     * {@code restartPolicy: Always}) run together and add up; each ordinary init container runs alone
     * beside the sidecars started before it; the pod needs the larger of the two, plus its overhead.
     * {@code missing} stands in for each container's CPU or memory request that is not given (kube-scheduler's
     * {@code NonMissingContainerRequests}: zero for filtering, {@link Resources#DEFAULT_REQUEST} for scoring).
     */
    static Resources podRequests(PodSpec spec, Resources missing) {
        Resources running = Resources.ZERO;
        for (Container container : orEmpty(spec.getContainers())) {
            running = running.plus(containerRequests(container, missing));
        }
        Resources sidecars = Resources.ZERO;
        Resources initPeak = Resources.ZERO;
        for (Container init : orEmpty(spec.getInitContainers())) {
            Resources own = containerRequests(init, missing);
            if ("Always".equals(init.getRestartPolicy())) {
                running = running.plus(own);
                sidecars = sidecars.plus(own);
                initPeak = initPeak.max(sidecars);
            } else {
                initPeak = initPeak.max(own.plus(sidecars));
            }
        }
        return running.max(initPeak).plus(resources(orEmpty(spec.getOverhead())));
    }

    /**
     * A container's requests; a resource with a limit but no request requests its limit (API-server defaulting),
     * a resource with neither requests {@code missing}'s amount, an explicit {@code 0} stays 0.
     */
    private static Resources containerRequests(Container container, Resources missing) {
        ResourceRequirements requirements = container.getResources();
        Map<String, Quantity> merged = new LinkedHashMap<>();
        if (requirements != null) {
            merged.putAll(orEmpty(requirements.getLimits()));
            merged.putAll(orEmpty(requirements.getRequests()));
        }
        Quantity cpu = merged.get("cpu");
        Quantity memory = merged.get("memory");
        return Resources.of(cpu == null ? missing.milliCpu() : Resources.milliCpu(cpu),
                memory == null ? missing.memoryBytes() : Resources.bytes(memory));
    }

    private static Resources resources(Map<String, Quantity> quantities) {
        Quantity cpu = quantities.get("cpu");
        Quantity memory = quantities.get("memory");
        return Resources.of(cpu == null ? 0 : Resources.milliCpu(cpu), memory == null ? 0 : Resources.bytes(memory));
    }

    /** The constraint's selector with {@code matchLabelKeys} folded in as {@code key In (pod's value)}; nil stays nil (matches nothing). */
    private static LabelSelector spreadSelector(io.fabric8.kubernetes.api.model.TopologySpreadConstraint constraint,
                                                Map<String, String> podLabels) {
        io.fabric8.kubernetes.api.model.LabelSelector selector = constraint.getLabelSelector();
        if (selector == null) {
            return null;
        }
        List<SelectorRequirement> expressions = new ArrayList<>();
        for (LabelSelectorRequirement requirement : orEmpty(selector.getMatchExpressions())) {
            expressions.add(new SelectorRequirement(requirement.getKey(),
                    SelectorOperator.fromKubernetes(requirement.getOperator()), requirement.getValues()));
        }
        for (String key : orEmpty(constraint.getMatchLabelKeys())) {
            String value = podLabels.get(key);
            if (value != null) {
                expressions.add(SelectorRequirement.in(key, value));
            }
        }
        return new LabelSelector(orEmpty(selector.getMatchLabels()), expressions);
    }

    private static List<SelectorRequirement> nodeRequirements(List<NodeSelectorRequirement> requirements) {
        List<SelectorRequirement> converted = new ArrayList<>();
        for (NodeSelectorRequirement requirement : orEmpty(requirements)) {
            converted.add(new SelectorRequirement(requirement.getKey(),
                    SelectorOperator.fromKubernetes(requirement.getOperator()), requirement.getValues()));
        }
        return converted;
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
