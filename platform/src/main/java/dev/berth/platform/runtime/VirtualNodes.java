package dev.berth.platform.runtime;

import dev.berth.platform.config.CoreConfig;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registers the configured virtual nodes as Kubernetes Node objects, like a kind cluster's nodes on one machine:
 * capacity, labels ({@code kubernetes.io/hostname}, {@code topology.kubernetes.io/zone}) and taints come from
 * config on every start; what operators changed at run time (cordon, failure) is kept.
 */
public final class VirtualNodes {

    /** Marks the nodes this core's kubelet runs; other Node objects (registered through the API) it leaves alone. */
    public static final String VIRTUAL_LABEL = "node.berth.dev/virtual";

    private VirtualNodes() {}

    public static void register(ObjectStore store, List<CoreConfig.NodeSpec> specs, CoreConfig.NodeDefaults defaults, Clock clock) {
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        for (Node desired : nodes(specs, defaults, NodeAllocatable.Machine.current(), now)) {
            CoreConfig.NodeSpec spec = specs.stream().filter(s -> s.name().equals(desired.getMetadata().getName())).findFirst().orElseThrow();
            Optional<Node> existing = store.get(new ObjectKey(ResourceKind.NODE, null, spec.name()));
            if (existing.isEmpty()) {
                store.create(desired);
            } else {
                store.<Node>mutate(ObjectKey.of(existing.get()), n -> {
                    n.getMetadata().setLabels(desired.getMetadata().getLabels());
                    n.getSpec().setTaints(desired.getSpec().getTaints());
                    n.getStatus().setCapacity(desired.getStatus().getCapacity());
                    n.getStatus().setAllocatable(desired.getStatus().getAllocatable());
                    return n;
                });
            }
        }
    }

    /** The nodes as configured; a node without its own cpu or memory gets an equal share of {@code machine}'s. */
    public static List<Node> nodes(List<CoreConfig.NodeSpec> specs, CoreConfig.NodeDefaults defaults, NodeAllocatable.Machine machine, String now) {
        int withoutCpu = (int) specs.stream().filter(s -> s.cpu().isEmpty()).count();
        int withoutMemory = (int) specs.stream().filter(s -> s.memory().isEmpty()).count();
        String cpuShare = NodeAllocatable.share(machine, defaults.reservedCpu(), defaults.reservedMemory(), defaults.overcommit(), withoutCpu).cpu();
        String memoryShare = NodeAllocatable.share(machine, defaults.reservedCpu(), defaults.reservedMemory(), defaults.overcommit(), withoutMemory).memory();
        return specs.stream().map(s -> node(s, s.cpu().orElse(cpuShare), s.memory().orElse(memoryShare), now)).toList();
    }

    static Node node(CoreConfig.NodeSpec spec, String cpu, String memory, String now) {
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        labels.put("kubernetes.io/hostname", spec.name());
        labels.put("topology.kubernetes.io/zone", spec.zone());
        labels.put("kubernetes.io/os", "linux");
        labels.put(VIRTUAL_LABEL, "true");
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory),
                "pods", new Quantity(Integer.toString(spec.maxPods())));
        return new NodeBuilder()
                .withNewMetadata().withName(spec.name()).withLabels(labels).endMetadata()
                .withNewSpec().withTaints(taints(spec.taints().orElse(List.of()))).endSpec()
                .withNewStatus()
                    .withCapacity(capacity)
                    .withAllocatable(capacity)
                    .withConditions(new NodeConditionBuilder().withType("Ready").withStatus("True").withReason("KubeletReady")
                            .withMessage("kubelet is posting ready status").withLastHeartbeatTime(now).withLastTransitionTime(now).build())
                .endStatus()
                .build();
    }

    /** {@code key=value:Effect} or {@code key:Effect}. */
    static List<Taint> taints(List<String> specs) {
        List<Taint> taints = new ArrayList<>();
        for (String s : specs) {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("taint '" + s + "' must be key[=value]:Effect");
            }
            String kv = s.substring(0, colon);
            String effect = s.substring(colon + 1);
            int eq = kv.indexOf('=');
            taints.add(new Taint(effect, eq < 0 ? kv : kv.substring(0, eq), null, eq < 0 ? null : kv.substring(eq + 1)));
        }
        return taints;
    }
}
