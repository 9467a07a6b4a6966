package dev.berth.platform.controller;

import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.WatchEvent;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The scheduling loop's picture of the cluster, kept current from the store's changes instead of listed again for
 * every pod (as kube-scheduler's cache follows its informers): built once from a list of nodes and pods, then each
 * node or pod change observed is applied before the next placement. A node that joins or leaves rebuilds it (a
 * snapshot only adds pods through {@link ClusterSnapshot#assume}, so pods bound to a node before it joined would
 * otherwise be missed).
 *
 * <p>Thread-safety: {@link #observe} may be called from any thread (the store's dispatcher); {@link #current} only from
 * the one scheduling thread, which owns the snapshot it returns.
 */
final class ObservedCluster {

    private final ObjectStore store;
    private final ConcurrentLinkedQueue<WatchEvent> changes = new ConcurrentLinkedQueue<>();
    private ClusterSnapshot snapshot;
    /** Every change up to this resourceVersion is in the snapshot's list. */
    private long builtAt;

    ObservedCluster(ObjectStore store) {
        this.store = store;
    }

    /** Remembers a node or pod change for the next {@link #current}; other kinds are ignored. Any thread. */
    void observe(WatchEvent e) {
        if (e.key().kind() == ResourceKind.POD || e.key().kind() == ResourceKind.NODE) {
            changes.add(e);
        }
    }

    /** The snapshot with every change observed so far applied. Scheduling thread only. */
    ClusterSnapshot current() {
        if (snapshot == null) {
            rebuild();
        }
        for (WatchEvent e; (e = changes.poll()) != null;) {
            if (e.resourceVersion() <= builtAt) {
                continue; // already in the list the snapshot was built from
            }
            if (!apply(e)) {
                rebuild();
            }
        }
        return snapshot;
    }

    /** A placement decided here, accounted before its bind is observed (the observed change then replaces it). */
    void assumed(PodInfo pod, String node) {
        snapshot.forget(pod.key());
        snapshot.assume(pod, node);
    }

    /** @return false when the change needs a rebuilt snapshot */
    private boolean apply(WatchEvent e) {
        if (e.key().kind() == ResourceKind.NODE) {
            boolean known = snapshot.indexOf(e.key().name()) >= 0;
            if (e.type() == WatchEvent.Type.DELETED || !known) {
                return false;
            }
            snapshot.putNode(NodeInfo.of((Node) e.object()));
            return true;
        }
        Pod pod = (Pod) e.object();
        snapshot.forget(e.key().namespace() + "/" + e.key().name());
        if (e.type() != WatchEvent.Type.DELETED && counts(pod) && snapshot.indexOf(pod.getSpec().getNodeName()) >= 0) {
            snapshot.assume(PodInfo.of(pod), pod.getSpec().getNodeName());
        }
        return true;
    }

    /** What {@link ClusterSnapshot#fromKubernetes} accounts: a bound pod that has not finished. */
    private static boolean counts(Pod pod) {
        return PodStatuses.isScheduled(pod) && !PodStatuses.isFinished(pod);
    }

    private void rebuild() {
        long version = store.revision(); // read before the lists: never newer than them
        List<Node> nodes = store.list(ResourceKind.NODE, null, null);
        List<Pod> pods = store.list(ResourceKind.POD, null, null);
        snapshot = ClusterSnapshot.fromKubernetes(nodes, pods.stream().filter(p -> !PodStatuses.isTerminating(p) || PodStatuses.isScheduled(p)).toList());
        builtAt = version;
    }
}
