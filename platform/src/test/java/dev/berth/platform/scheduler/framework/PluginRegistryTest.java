package dev.berth.platform.scheduler.framework;

import dev.berth.platform.scheduler.plugins.InTreePlugins;
import dev.berth.platform.scheduler.plugins.NodeResourcesFit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PluginRegistryTest {

    @Test
    void rejectsADuplicateName() {
        PluginRegistry registry = InTreePlugins.registry();

        assertThatIllegalArgumentException().isThrownBy(() -> registry.register(NodeResourcesFit.NAME, NodeResourcesFit::new))
                .withMessageContaining("already registered");
    }

    @Test
    void createsNewInstancesByName() {
        PluginRegistry registry = InTreePlugins.registry();

        assertThat(registry.create(NodeResourcesFit.NAME)).isInstanceOf(NodeResourcesFit.class)
                .isNotSameAs(registry.create(NodeResourcesFit.NAME));
        assertThat(registry.names()).contains("NodeUnschedulable", "TaintToleration", "NodeAffinity", "NodePorts", "NodeResourcesFit",
                "PodTopologySpread", "NodeResourcesLeastAllocated", "NodeResourcesMostAllocated", "NodeResourcesBalancedAllocation");
    }

    @Test
    void rejectsUnknownAndMisnamedPlugins() {
        PluginRegistry registry = new PluginRegistry().register("Alias", NodeResourcesFit::new);

        assertThatIllegalArgumentException().isThrownBy(() -> registry.create("Missing")).withMessageContaining("no plugin named Missing");
        assertThatIllegalArgumentException().isThrownBy(() -> registry.create("Alias")).withMessageContaining("calls itself NodeResourcesFit");
    }
}
