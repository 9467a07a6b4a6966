/**
 * The scheduler's view of the cluster: immutable values for nodes, pods and their placement rules, in
 * Kubernetes' units (milli-CPU, bytes) and with Kubernetes' matching semantics. Every value here is a
 * record or enum and therefore thread-safe; {@link dev.berth.platform.scheduler.model.NodeInfo#of} and
 * {@link dev.berth.platform.scheduler.model.PodInfo#of} build them from fabric8 {@code Node}/{@code Pod}.
 */
package dev.berth.platform.scheduler.model;
