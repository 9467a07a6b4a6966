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

    private VirtualNodes() {}

    public static void register(ObjectStore store, List<CoreConfig.NodeSpec> specs, Clock clock) {
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        for (CoreConfig.NodeSpec spec : specs) {
            Node desired = node(spec, now);
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

    static Node node(CoreConfig.NodeSpec spec, String now) {
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        labels.put("kubernetes.io/hostname", spec.name());
        labels.put("topology.kubernetes.io/zone", spec.zone());
        labels.put("kubernetes.io/os", "linux");
        labels.put("node.berth.dev/virtual", "true");
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity(spec.cpu()), "memory", new Quantity(spec.memory()),
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
