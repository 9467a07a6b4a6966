/**
 * Placement: decides which node each replica runs on, shaped like kube-scheduler's framework and
 * Nomad's stack. Pure Java: no CDI, no I/O. How the core uses it:
 *
 * <pre>{@code
 * ClusterSnapshot snapshot = ClusterSnapshot.of(nodes, boundPods);   // once; or ClusterSnapshot.fromKubernetes(...)
 * Scheduler scheduler = Scheduler.withDefaults(seed);                 // thread-safe, keep one
 *
 * PlacementDecision decision = scheduler.schedule(snapshot, pod);    // reads the snapshot, changes nothing
 * if (decision instanceof PlacementDecision.Placed placed) {
 *     // start (or bind) the replica on placed.nodeName(), then record it:
 *     snapshot.assume(pod, placed.nodeName());
 * } else if (decision instanceof PlacementDecision.Unschedulable pending) {
 *     // Pending event: pending.diagnosis().message(), counts in pending.diagnosis().reasons(); retry on change
 * }
 * // a replica that stops or is deleted: snapshot.forget(pod.key())
 * }</pre>
 *
 * <p>Sub-packages: {@code model} (values and fabric8 conversion), {@code snapshot} (indexed cluster state),
 * {@code framework} (plugin interfaces, status, cycle state, registry), {@code plugins} (the in-tree plugins).
 */
package dev.berth.platform.scheduler;
