package dev.berth.platform.scheduler;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.framework.PreScorePlugin;
import dev.berth.platform.scheduler.framework.ScorePlugin;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real fabric8 Pods and Nodes shaped like the ones upstream's tests build with {@code st.MakePod()} and
 * {@code st.MakeNode()}, so transcribed cases run through Berth's Kubernetes conversion as the cluster's objects do.
 */
public final class KubeObjects {

    private static final AtomicInteger NEXT_POD = new AtomicInteger();

    private KubeObjects() {
    }

    /** A snapshot of {@code nodes} with the bound ones of {@code pods} accounted, as the scheduling controller builds it. */
    public static ClusterSnapshot snapshot(List<Node> nodes, List<Pod> pods) {
        return ClusterSnapshot.fromKubernetes(nodes, pods);
    }

    /**
     * {@code plugin}'s raw scores of {@code incoming} on {@code nodes} (in their order) with {@code existing} bound,
     * after its pre-score when it has one and {@code runPreScore}.
     */
    public static List<Long> rawScores(ScorePlugin plugin, boolean runPreScore, Pod incoming, List<Node> nodes, List<Pod> existing) {
        ClusterSnapshot snapshot = snapshot(nodes, existing);
        PodInfo pod = PodInfo.of(incoming);
        CycleState state = new CycleState(snapshot);
        if (runPreScore && plugin instanceof PreScorePlugin preScore) {
            assertThat(preScore.preScore(state, pod, snapshot.nodes()).isSuccess()).isTrue();
            assertThat(state.scoreSkipped(plugin.name())).as("score skipped").isFalse();
        }
        return nodes.stream().map(n -> plugin.score(state, pod, snapshot.node(n.getMetadata().getName()).orElseThrow())).toList();
    }

    /** {@code st.MakeLabelSelector().Exists(key).Obj()}. */
    public static LabelSelector exists(String key) {
        return new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator("Exists").endMatchExpression().build();
    }

    public static MakePod pod() {
        return new MakePod("pod-" + NEXT_POD.incrementAndGet());
    }

    /** {@code st.MakeNode().Name(name).Label(k1, v1).Label(k2, v2)...Obj()}. */
    public static Node labelledNode(String name, String... keysAndValues) {
        MakeNode node = node(name);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.label(keysAndValues[i], keysAndValues[i + 1]);
        }
        return node.obj();
    }

    /** {@code st.MakePod().Name(name).Label(k1, "").Label(k2, "")...}, as the spreading tests build them. */
    public static MakePod labelledPod(String name, String... labelKeys) {
        MakePod pod = pod().name(name);
        for (String key : labelKeys) {
            pod.label(key, "");
        }
        return pod;
    }

    public static MakeNode node(String name) {
        return new MakeNode(name);
    }

    /** {@code st.MakePod()}: each {@link #req} adds a container; a {@code null} quantity is a request not given. */
    public static final class MakePod {
        private final PodBuilder pod;
        private final List<Container> containers = new ArrayList<>();
        private final List<Container> initContainers = new ArrayList<>();
        private final Map<String, String> labels = new LinkedHashMap<>();

        private MakePod(String name) {
            pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata().withNewSpec().endSpec();
        }

        public MakePod name(String name) {
            pod.editMetadata().withName(name).endMetadata();
            return this;
        }

        public MakePod namespace(String namespace) {
            pod.editMetadata().withNamespace(namespace).endMetadata();
            return this;
        }

        public MakePod label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public MakePod node(String node) {
            pod.editSpec().withNodeName(node).endSpec();
            return this;
        }

        /** {@code metadata.deletionTimestamp} set: the pod is terminating. */
        public MakePod terminating() {
            pod.editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata();
            return this;
        }

        /** {@code st.MakePod().Req(...)}: a container requesting {@code cpu} and {@code memory}; {@code null} leaves one out. */
        public MakePod req(String cpu, String memory) {
            containers.add(container("c" + containers.size(), cpu, memory, null));
            return this;
        }

        /** {@code st.MakePod().Container(name)}: a container with no requests at all. */
        public MakePod container() {
            return req(null, null);
        }

        public MakePod initReq(String cpu, String memory) {
            initContainers.add(container("init" + initContainers.size(), cpu, memory, null));
            return this;
        }

        /** A sidecar: an init container with {@code restartPolicy: Always}. */
        public MakePod sidecarReq(String cpu, String memory) {
            initContainers.add(container("sidecar" + initContainers.size(), cpu, memory, "Always"));
            return this;
        }

        public MakePod overhead(String cpu, String memory) {
            pod.editSpec().withOverhead(quantities(cpu, memory)).endSpec();
            return this;
        }

        /** {@code SpreadConstraint(maxSkew, key, when, MakeLabelSelector().Exists(selectorKey))}. */
        public MakePod spread(int maxSkew, String topologyKey, String whenUnsatisfiable, String selectorKey) {
            return spread(maxSkew, topologyKey, whenUnsatisfiable, exists(selectorKey), List.of());
        }

        /** {@code SpreadConstraint(maxSkew, key, when, selector, …, matchLabelKeys)}; a {@code null} selector is nil. */
        public MakePod spread(int maxSkew, String topologyKey, String whenUnsatisfiable, LabelSelector selector,
                              List<String> matchLabelKeys) {
            pod.editSpec().addToTopologySpreadConstraints(new TopologySpreadConstraintBuilder().withMaxSkew(maxSkew)
                    .withTopologyKey(topologyKey).withWhenUnsatisfiable(whenUnsatisfiable)
                    .withLabelSelector(selector).withMatchLabelKeys(matchLabelKeys).build()).endSpec();
            return this;
        }

        /** A toleration as written in a manifest: {@code null} leaves a field out. */
        public MakePod toleration(String key, String operator, String value, String effect) {
            pod.editSpec().addNewToleration().withKey(key).withOperator(operator).withValue(value).withEffect(effect)
                    .endToleration().endSpec();
            return this;
        }

        public MakePod nodeSelector(String key, String value) {
            pod.editSpec().addToNodeSelector(key, value).endSpec();
            return this;
        }

        /** {@code NodeAffinityIn(key, values, NodeAffinityWithRequiredReq)}. */
        public MakePod nodeAffinityIn(String key, String... values) {
            pod.editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .addNewNodeSelectorTerm().addNewMatchExpression().withKey(key).withOperator("In").withValues(values)
                    .endMatchExpression().endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution()
                    .endNodeAffinity().endAffinity().endSpec();
            return this;
        }

        public Pod obj() {
            pod.editMetadata().withLabels(labels).endMetadata();
            return pod.editSpec().withContainers(containers).withInitContainers(initContainers).endSpec().build();
        }

        public PodInfo info() {
            return PodInfo.of(obj());
        }

        private static Container container(String name, String cpu, String memory, String restartPolicy) {
            return new ContainerBuilder().withName(name).withRestartPolicy(restartPolicy)
                    .withNewResources().withRequests(quantities(cpu, memory)).endResources().build();
        }
    }

    /** {@code st.MakeNode()}: capacity (also reported as allocatable), labels; Ready. */
    public static final class MakeNode {
        private final NodeBuilder node;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, Quantity> capacity = new LinkedHashMap<>();

        private MakeNode(String name) {
            node = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
        }

        public MakeNode capacity(String cpu, String memory) {
            capacity.putAll(quantities(cpu, memory));
            return this;
        }

        public MakeNode pods(int pods) {
            capacity.put("pods", new Quantity(String.valueOf(pods)));
            return this;
        }

        public MakeNode taint(String key, String value, String effect) {
            node.editSpec().addNewTaint().withKey(key).withValue(value).withEffect(effect).endTaint().endSpec();
            return this;
        }

        public MakeNode label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Node obj() {
            return node.editMetadata().withLabels(labels).endMetadata()
                    .editStatus().withCapacity(capacity).withAllocatable(capacity).endStatus().build();
        }
    }

    private static Map<String, Quantity> quantities(String cpu, String memory) {
        Map<String, Quantity> quantities = new LinkedHashMap<>();
        if (cpu != null) {
            quantities.put("cpu", new Quantity(cpu));
        }
        if (memory != null) {
            quantities.put("memory", new Quantity(memory));
        }
        return quantities;
    }
}
