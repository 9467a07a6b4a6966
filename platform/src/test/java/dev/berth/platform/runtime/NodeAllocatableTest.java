package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.config.CoreConfig;
import dev.berth.platform.scheduler.PlacementDecision;
import dev.berth.platform.scheduler.Scheduler;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The default virtual nodes are sized from the machine, so the scheduler places no more than it holds. */
class NodeAllocatableTest {

    private static final long GI = 1L << 30;
    private static final String NOW = "2026-12-03T00:00:00Z";

    record Spec(String name, Optional<String> cpu, Optional<String> memory) implements CoreConfig.NodeSpec {
        @Override
        public String zone() {
            return "zone-a";
        }

        @Override
        public int maxPods() {
            return 110;
        }

        @Override
        public Map<String, String> labels() {
            return Map.of();
        }

        @Override
        public Optional<List<String>> taints() {
            return Optional.empty();
        }
    }

    record Defaults(String reservedCpu, String reservedMemory, double overcommit) implements CoreConfig.NodeDefaults {}

    /** The shipped defaults (application.properties / CoreConfig): 500m and 1Gi reserved, no overcommit. */
    private static final Defaults SHIPPED = new Defaults("500m", "1Gi", 1.0);

    private static List<CoreConfig.NodeSpec> threeDefaultNodes() {
        return List.of(new Spec("node-1", Optional.empty(), Optional.empty()), new Spec("node-2", Optional.empty(), Optional.empty()),
                new Spec("node-3", Optional.empty(), Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            # case,                                   cores, memory GiB, reserved cpu, reserved memory, overcommit, nodes, cpu each, memory each
            'the issue''s 2-core machine, 3 nodes',       2,  8, 500m, 1Gi,  1.0, 3,  500m, 2389Mi
            'same machine, overcommit 2',                 2,  8, 500m, 1Gi,  2.0, 3, 1000m, 4778Mi
            'same machine, overcommit 0.5',               2,  8, 500m, 1Gi,  0.5, 3,  250m, 1194Mi
            'one node takes all that is left',            2,  8, 500m, 1Gi,  1.0, 1, 1500m, 7168Mi
            '16 cores, 64 GiB, 3 nodes',                 16, 64, 500m, 1Gi,  1.0, 3, 5166m, 21504Mi
            'nothing reserved',                           4, 16,    0,   0,  1.0, 4, 1000m, 4096Mi
            'reservation larger than the machine',        1,  1,    2, 2Gi,  1.0, 3,    0m, 0Mi
            """)
    void defaultNodeShareOfAGivenMachine(String name, int cores, long memoryGi, String reservedCpu, String reservedMemory, double overcommit,
            int nodes, String cpu, String memory) {
        var share = NodeAllocatable.share(new NodeAllocatable.Machine(cores, memoryGi * GI), reservedCpu, reservedMemory, overcommit, nodes);

        assertThat(share).isEqualTo(new NodeAllocatable.Share(cpu, memory));
    }

    @Test
    void overcommitMustBePositive() {
        assertThatThrownBy(() -> NodeAllocatable.share(new NodeAllocatable.Machine(2, 8 * GI), "500m", "1Gi", 0, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("berth.node-defaults.overcommit must be a positive number, not 0.0");
    }

    @Test
    void onThisMachineTheDefaultNodesDeclareNoMoreThanItHas() {
        NodeAllocatable.Machine machine = NodeAllocatable.Machine.current();
        List<Node> nodes = VirtualNodes.nodes(threeDefaultNodes(), SHIPPED, machine, NOW);

        BigDecimal cpu = sum(nodes, "cpu");
        BigDecimal memory = sum(nodes, "memory");
        assertThat(cpu).isPositive().isLessThanOrEqualTo(BigDecimal.valueOf(machine.cores()));
        assertThat(memory).isPositive().isLessThanOrEqualTo(BigDecimal.valueOf(machine.memoryBytes()));
    }

    @Test
    void explicitlyConfiguredNodesKeepTheirValuesAndTheOthersShareTheMachine() {
        List<CoreConfig.NodeSpec> specs = List.of(new Spec("big", Optional.of("4"), Optional.of("8Gi")), new Spec("cpu-only", Optional.of("2"), Optional.empty()),
                new Spec("default", Optional.empty(), Optional.empty()));

        List<Node> nodes = VirtualNodes.nodes(specs, SHIPPED, new NodeAllocatable.Machine(2, 8 * GI), NOW);

        assertThat(nodes).extracting(n -> n.getStatus().getAllocatable().get("cpu").toString() + "/" + n.getStatus().getAllocatable().get("memory"))
                .containsExactly("4/8Gi", "2/3584Mi", "1500m/3584Mi");
    }

    @Test
    void withTheDefaultNodesMost101ReplicasOfA256MiPodStayPendingForMemory() {
        // the machine: 2 cores, 8 GiB; pods request 256Mi and no cpu to speak of, so memory decides
        List<Node> nodes = VirtualNodes.nodes(threeDefaultNodes(), SHIPPED, new NodeAllocatable.Machine(2, 8 * GI), NOW);
        ClusterSnapshot snapshot = ClusterSnapshot.fromKubernetes(nodes, List.of());
        Scheduler scheduler = Scheduler.withDefaults(42);

        List<String> placed = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            PodInfo pod = PodInfo.builder("berth", "order-service-" + i).requests("1m", "256Mi").build();
            PlacementDecision decision = scheduler.schedule(snapshot, pod);
            if (decision instanceof PlacementDecision.Placed p) {
                snapshot.assume(pod, p.nodeName());
                placed.add(p.nodeName());
            } else if (decision instanceof PlacementDecision.Unschedulable u) {
                pending.add(u.diagnosis().message());
            } else {
                throw new AssertionError(decision.toString());
            }
        }

        assertThat(placed).hasSize(27); // 2389Mi per node holds 9 pods of 256Mi, on each of 3 nodes
        assertThat(pending).hasSize(74).containsOnly("0/3 nodes are available: 3 Insufficient memory.");
    }

    private static BigDecimal sum(List<Node> nodes, String resource) {
        return nodes.stream().map(n -> Quantity.getAmountInBytes(n.getStatus().getAllocatable().get(resource))).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
