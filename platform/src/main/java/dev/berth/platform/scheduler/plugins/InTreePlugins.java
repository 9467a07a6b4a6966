package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.PluginRegistry;

/** The plugins that ship with Berth. */
public final class InTreePlugins {

    private InTreePlugins() {
    }

    /** A new registry holding every in-tree plugin; register out-of-tree plugins on it before building a scheduler. */
    public static PluginRegistry registry() {
        return new PluginRegistry()
                .register(NodeUnschedulable.NAME, NodeUnschedulable::new)
                .register(TaintToleration.NAME, TaintToleration::new)
                .register(NodeAffinity.NAME, NodeAffinity::new)
                .register(NodePorts.NAME, NodePorts::new)
                .register(NodeResourcesFit.NAME, NodeResourcesFit::new)
                .register(PodTopologySpread.NAME, PodTopologySpread::new)
                .register(NodeResourcesLeastAllocated.NAME, NodeResourcesLeastAllocated::new)
                .register(NodeResourcesMostAllocated.NAME, NodeResourcesMostAllocated::new)
                .register(NodeResourcesBalancedAllocation.NAME, NodeResourcesBalancedAllocation::new);
    }
}
