package dev.berth.platform.scheduler.model;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pod (a replica) as the scheduler sees it. Immutable.
 *
 * @param requests             the effective request: containers summed, init containers by Kubernetes' max rule, plus overhead
 * @param nonZeroRequests      the same with kube-scheduler's stand-ins (100m CPU, 200 MiB) for each container's missing
 *                             request, an explicit {@code 0} kept: what the allocation scores count ({@code NonMissingContainerRequests})
 * @param nodeSelector         labels a node must carry
 * @param requiredNodeAffinity {@code requiredDuringSchedulingIgnoredDuringExecution} terms (ORed); empty means no requirement
 * @param nodeName             the node the pod is bound to, or {@code null} while it waits for placement
 * @param terminating          {@code metadata.deletionTimestamp} is set: it still holds its resources but no longer
 *                             counts for topology spreading (kubernetes#87621)
 */
public record PodInfo(String namespace, String name, Map<String, String> labels, Resources requests, Resources nonZeroRequests,
                      Map<String, String> nodeSelector, List<NodeSelectorTerm> requiredNodeAffinity,
                      List<Toleration> tolerations, List<HostPort> hostPorts,
                      List<TopologySpreadConstraint> topologySpreadConstraints, String nodeName,
                      boolean terminating) {

    public PodInfo {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(nonZeroRequests, "nonZeroRequests");
        nodeSelector = Map.copyOf(nodeSelector);
        requiredNodeAffinity = List.copyOf(requiredNodeAffinity);
        tolerations = List.copyOf(tolerations);
        hostPorts = List.copyOf(hostPorts);
        topologySpreadConstraints = List.copyOf(topologySpreadConstraints);
        nodeName = nodeName == null || nodeName.isEmpty() ? null : nodeName;
    }

    /** Converts a fabric8 Pod; {@code spec.nodeName} tells whether it is already bound. */
    public static PodInfo of(Pod pod) {
        return KubernetesConversion.podInfo(pod);
    }

    public static Builder builder(String namespace, String name) {
        return new Builder(namespace, name);
    }

    /** {@code namespace/name}: the pod's identity in a snapshot. */
    public String key() {
        return namespace + "/" + name;
    }

    public boolean isBound() {
        return nodeName != null;
    }

    /** The same pod bound to {@code node}. */
    public PodInfo boundTo(String node) {
        return new PodInfo(namespace, name, labels, requests, nonZeroRequests, nodeSelector, requiredNodeAffinity, tolerations,
                hostPorts, topologySpreadConstraints, Objects.requireNonNull(node, "node"), terminating);
    }

    /** Another replica of the same template: everything but the name (and binding) equal. */
    public PodInfo withName(String newName) {
        return new PodInfo(namespace, newName, labels, requests, nonZeroRequests, nodeSelector, requiredNodeAffinity, tolerations,
                hostPorts, topologySpreadConstraints, null, false);
    }

    public static final class Builder {
        private final String namespace;
        private String name;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private Resources requests = Resources.ZERO;
        /** A pod built without requests stands for one container that requests nothing. */
        private Resources nonZeroRequests = Resources.DEFAULT_REQUEST;
        private final Map<String, String> nodeSelector = new LinkedHashMap<>();
        private final List<NodeSelectorTerm> affinity = new ArrayList<>();
        private final List<Toleration> tolerations = new ArrayList<>();
        private final List<HostPort> hostPorts = new ArrayList<>();
        private final List<TopologySpreadConstraint> spread = new ArrayList<>();
        private String nodeName;
        private boolean terminating;

        private Builder(String namespace, String name) {
            this.namespace = namespace;
            this.name = name;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder labels(Map<String, String> more) {
            labels.putAll(more);
            return this;
        }

        /** One container requesting exactly {@code requests} (a zero is an explicit {@code 0}). */
        public Builder requests(Resources requests) {
            this.requests = requests;
            this.nonZeroRequests = requests;
            return this;
        }

        /** One container's Kubernetes quantities, e.g. {@code requests("250m", "512Mi")}; {@code null} is a request not given. */
        public Builder requests(String cpu, String memory) {
            this.requests = Resources.parse(cpu, memory);
            this.nonZeroRequests = Resources.of(
                    cpu == null ? Resources.DEFAULT_REQUEST.milliCpu() : requests.milliCpu(),
                    memory == null ? Resources.DEFAULT_REQUEST.memoryBytes() : requests.memoryBytes());
            return this;
        }

        public Builder nodeSelector(String key, String value) {
            nodeSelector.put(key, value);
            return this;
        }

        public Builder requiredNodeAffinity(NodeSelectorTerm term) {
            affinity.add(term);
            return this;
        }

        public Builder toleration(Toleration toleration) {
            tolerations.add(toleration);
            return this;
        }

        public Builder hostPort(HostPort port) {
            hostPorts.add(port);
            return this;
        }

        public Builder spread(TopologySpreadConstraint constraint) {
            spread.add(constraint);
            return this;
        }

        public Builder nodeName(String nodeName) {
            this.nodeName = nodeName;
            return this;
        }

        public Builder terminating(boolean terminating) {
            this.terminating = terminating;
            return this;
        }

        public PodInfo build() {
            return new PodInfo(namespace, name, labels, requests, nonZeroRequests, nodeSelector, affinity, tolerations,
                    hostPorts, spread, nodeName, terminating);
        }
    }
}
