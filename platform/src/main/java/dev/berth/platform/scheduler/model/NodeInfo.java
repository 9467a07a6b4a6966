package dev.berth.platform.scheduler.model;

import io.fabric8.kubernetes.api.model.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node as the scheduler sees it: what it offers (labels, taints, cordon, readiness, allocatable) and
 * what its pods already take (requested resources, host ports, pod count). Immutable; the snapshot
 * replaces a node's value when it assumes or forgets a pod. Resources are flat primitives rather than
 * {@link Resources} values because filters read them for thousands of nodes per decision and every
 * pointer followed is a cache miss; {@link #allocatable()} and friends give the value view.
 *
 * @param requestedMilliCpu        sum of the effective requests of the pods on the node (what NodeResourcesFit checks)
 * @param nonZeroRequestedMilliCpu the sum of the pods' {@link PodInfo#nonZeroRequests()} (what the allocation scores use)
 * @param index                    the node's position in the {@code ClusterSnapshot} holding it, {@code -1} outside one
 */
public record NodeInfo(String name, Map<String, String> labels, List<Taint> taints, boolean unschedulable, boolean ready,
                       long allocatableMilliCpu, long allocatableMemoryBytes, int maxPods,
                       long requestedMilliCpu, long requestedMemoryBytes,
                       long nonZeroRequestedMilliCpu, long nonZeroRequestedMemoryBytes,
                       List<HostPort> usedHostPorts, int podCount, int index) {

    public static final String LABEL_HOSTNAME = "kubernetes.io/hostname";
    public static final String LABEL_ZONE = "topology.kubernetes.io/zone";
    /** Kubelet's default {@code --max-pods}. */
    public static final int DEFAULT_MAX_PODS = 110;

    public NodeInfo {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
        usedHostPorts = List.copyOf(usedHostPorts);
        if (allocatableMilliCpu < 0 || allocatableMemoryBytes < 0 || maxPods < 0) {
            throw new IllegalArgumentException("node " + name + ": allocatable and maxPods must not be negative");
        }
        if (requestedMilliCpu < 0 || requestedMemoryBytes < 0 || nonZeroRequestedMilliCpu < 0
                || nonZeroRequestedMemoryBytes < 0 || podCount < 0) {
            throw new IllegalArgumentException("node " + name + ": accounting went negative (a forget without its assume?)");
        }
    }

    /** Converts a fabric8 Node (allocatable, labels, taints, {@code spec.unschedulable}, Ready condition); nothing requested yet. */
    public static NodeInfo of(Node node) {
        return KubernetesConversion.nodeInfo(node);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Resources allocatable() {
        return Resources.of(allocatableMilliCpu, allocatableMemoryBytes);
    }

    public Resources requested() {
        return Resources.of(requestedMilliCpu, requestedMemoryBytes);
    }

    public Resources nonZeroRequested() {
        return Resources.of(nonZeroRequestedMilliCpu, nonZeroRequestedMemoryBytes);
    }

    /** The value of the zone label, or {@code null}. */
    public String zone() {
        return labels.get(LABEL_ZONE);
    }

    /** Allocatable minus requested: what a new pod may still request (negative only if the node is overcommitted). */
    public long freeMilliCpu() {
        return allocatableMilliCpu - requestedMilliCpu;
    }

    public long freeMemoryBytes() {
        return allocatableMemoryBytes - requestedMemoryBytes;
    }

    /** This node with {@code pod}'s requests, host ports and slot added. */
    public NodeInfo withPod(PodInfo pod) {
        List<HostPort> ports = usedHostPorts;
        if (!pod.hostPorts().isEmpty()) {
            List<HostPort> grown = new ArrayList<>(usedHostPorts);
            grown.addAll(pod.hostPorts());
            ports = grown;
        }
        Resources request = pod.requests();
        Resources nonZero = pod.nonZeroRequests();
        return new NodeInfo(name, labels, taints, unschedulable, ready, allocatableMilliCpu, allocatableMemoryBytes, maxPods,
                requestedMilliCpu + request.milliCpu(), requestedMemoryBytes + request.memoryBytes(),
                nonZeroRequestedMilliCpu + nonZero.milliCpu(), nonZeroRequestedMemoryBytes + nonZero.memoryBytes(),
                ports, podCount + 1, index);
    }

    /** This node with {@code pod}'s requests, host ports and slot removed; the inverse of {@link #withPod}. */
    public NodeInfo withoutPod(PodInfo pod) {
        List<HostPort> ports = usedHostPorts;
        if (!pod.hostPorts().isEmpty()) {
            List<HostPort> shrunk = new ArrayList<>(usedHostPorts);
            for (HostPort port : pod.hostPorts()) {
                shrunk.remove(port);
            }
            ports = shrunk;
        }
        Resources request = pod.requests();
        Resources nonZero = pod.nonZeroRequests();
        return new NodeInfo(name, labels, taints, unschedulable, ready, allocatableMilliCpu, allocatableMemoryBytes, maxPods,
                requestedMilliCpu - request.milliCpu(), requestedMemoryBytes - request.memoryBytes(),
                nonZeroRequestedMilliCpu - nonZero.milliCpu(), nonZeroRequestedMemoryBytes - nonZero.memoryBytes(),
                ports, podCount - 1, index);
    }

    /** This node's spec and status with nothing accounted on it. */
    public NodeInfo withNoPods() {
        return new NodeInfo(name, labels, taints, unschedulable, ready, allocatableMilliCpu, allocatableMemoryBytes, maxPods,
                0, 0, 0, 0, List.of(), 0, index);
    }

    /** This node's spec and status with the pod accounting (and snapshot position) of {@code accounted}, the same node before an update. */
    public NodeInfo withAccountingOf(NodeInfo accounted) {
        return new NodeInfo(name, labels, taints, unschedulable, ready, allocatableMilliCpu, allocatableMemoryBytes, maxPods,
                accounted.requestedMilliCpu, accounted.requestedMemoryBytes,
                accounted.nonZeroRequestedMilliCpu, accounted.nonZeroRequestedMemoryBytes,
                accounted.usedHostPorts, accounted.podCount, accounted.index);
    }

    /** This node at position {@code newIndex} of a snapshot. */
    public NodeInfo withIndex(int newIndex) {
        return new NodeInfo(name, labels, taints, unschedulable, ready, allocatableMilliCpu, allocatableMemoryBytes, maxPods,
                requestedMilliCpu, requestedMemoryBytes, nonZeroRequestedMilliCpu, nonZeroRequestedMemoryBytes,
                usedHostPorts, podCount, newIndex);
    }

    /** Builds a node with nothing requested; adds the hostname label ({@code = name}) unless given. */
    public static final class Builder {
        private final String name;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private Resources allocatable = Resources.ZERO;
        private int maxPods = DEFAULT_MAX_PODS;
        private final List<Taint> taints = new ArrayList<>();
        private boolean unschedulable;
        private boolean ready = true;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder labels(Map<String, String> more) {
            labels.putAll(more);
            return this;
        }

        public Builder zone(String zone) {
            return label(LABEL_ZONE, zone);
        }

        public Builder allocatable(Resources resources) {
            this.allocatable = resources;
            return this;
        }

        /** Kubernetes quantities, e.g. {@code allocatable("4", "16Gi")}. */
        public Builder allocatable(String cpu, String memory) {
            return allocatable(Resources.parse(cpu, memory));
        }

        public Builder maxPods(int maxPods) {
            this.maxPods = maxPods;
            return this;
        }

        public Builder taint(Taint taint) {
            taints.add(taint);
            return this;
        }

        public Builder unschedulable(boolean unschedulable) {
            this.unschedulable = unschedulable;
            return this;
        }

        public Builder ready(boolean ready) {
            this.ready = ready;
            return this;
        }

        public NodeInfo build() {
            labels.putIfAbsent(LABEL_HOSTNAME, name);
            return new NodeInfo(name, labels, taints, unschedulable, ready, allocatable.milliCpu(), allocatable.memoryBytes(),
                    maxPods, 0, 0, 0, 0, List.of(), 0, -1);
        }
    }
}
