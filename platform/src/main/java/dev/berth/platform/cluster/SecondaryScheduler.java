package dev.berth.platform.cluster;

import dev.berth.platform.scheduler.PlacementDecision;
import dev.berth.platform.scheduler.Scheduler;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Berth's scheduler as a secondary scheduler of a real cluster: pods whose {@code spec.schedulerName} is
 * {@code berth} and that have no node are placed by the very {@link Scheduler} (filter and score plugins) the local
 * engine uses, over a snapshot built from the cluster's nodes and pods, and bound through the Binding API.
 *
 * <p>Shaped like kube-scheduler: informers keep the node and pod caches; one scheduling thread takes pending pods from
 * an active queue, decides, assumes the pod on its node in the snapshot and hands the Binding to a pool, so the next
 * decision does not wait for the round trip; a failed binding forgets the assumption and retries the pod. A pod no
 * node fits goes to the unschedulable set with a {@code FailedScheduling} event giving the plugins' reasons, and is
 * retried when a node or a pod changes in a way that could make room (and every {@link Options#unschedulableRetry}).
 * Only the holder of the Lease schedules: two replicas never both bind.
 */
public final class SecondaryScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SecondaryScheduler.class);
    public static final String COMPONENT = "berth-scheduler";

    /**
     * @param schedulerName      pods naming this scheduler are ours
     * @param leaseNamespace     where the election's Lease lives
     * @param identity           this replica's name in the Lease (its pod name in a cluster)
     * @param binders            concurrent Binding requests
     * @param unschedulableRetry how often unschedulable pods are retried even when nothing seen changed
     */
    public record Options(String schedulerName, String leaseNamespace, String leaseName, String identity, Duration leaseDuration,
            Duration renewDeadline, Duration retryPeriod, int binders, Duration unschedulableRetry) {

        public Options {
            Objects.requireNonNull(schedulerName, "schedulerName");
            Objects.requireNonNull(leaseNamespace, "leaseNamespace");
            Objects.requireNonNull(leaseName, "leaseName");
            Objects.requireNonNull(identity, "identity");
            if (binders < 1) {
                throw new IllegalArgumentException("binders must be at least 1, got " + binders);
            }
        }

        /** kube-scheduler's election timings (15 s lease, 10 s renew deadline, 2 s retry) and 16 binders. */
        public static Options defaults(String leaseNamespace, String identity) {
            return new Options("berth", leaseNamespace, "berth-scheduler", identity, Duration.ofSeconds(15), Duration.ofSeconds(10),
                    Duration.ofSeconds(2), 16, Duration.ofSeconds(30));
        }

        public Options withElectionTimings(Duration lease, Duration renew, Duration retry) {
            return new Options(schedulerName, leaseNamespace, leaseName, identity, lease, renew, retry, binders, unschedulableRetry);
        }

        public Options withSchedulerName(String name) {
            return new Options(name, leaseNamespace, leaseName, identity, leaseDuration, renewDeadline, retryPeriod, binders, unschedulableRetry);
        }

        public Options withBinders(int count) {
            return new Options(schedulerName, leaseNamespace, leaseName, identity, leaseDuration, renewDeadline, retryPeriod, count,
                    unschedulableRetry);
        }
    }

    private final KubernetesClient client;
    private final Scheduler scheduler;
    private final Options options;
    private final SchedulerMetrics metrics;
    private final ClusterEvents events;

    /** Pod keys ({@code namespace/name}) waiting for a decision, in arrival order, each once. Guarded by itself. */
    private final LinkedHashSet<String> active = new LinkedHashSet<>();
    /** Pods no node fitted at their last attempt; back to active when the cluster changes. Guarded by {@link #active}. */
    private final Set<String> unschedulable = new LinkedHashSet<>();
    /** Cache changes for the snapshot, applied by the scheduling thread before each decision. */
    private final ConcurrentLinkedQueue<Runnable> snapshotChanges = new ConcurrentLinkedQueue<>();
    private volatile boolean nodesChanged = true;

    // owned by the scheduling thread
    private ClusterSnapshot snapshot;
    /** Pods this scheduler placed whose binding the cache does not show yet: key → node. */
    private final Map<String, String> assumed = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> lastFailure = new java.util.concurrent.ConcurrentHashMap<>();

    private SharedIndexInformer<Node> nodeInformer;
    private SharedIndexInformer<Pod> podInformer;
    private ExecutorService binding;
    private volatile Thread loop;
    private volatile boolean leading;
    private volatile boolean closed;
    private CompletableFuture<?> election;
    private final AtomicInteger inFlight = new AtomicInteger();

    public SecondaryScheduler(KubernetesClient client, Scheduler scheduler, Options options, SchedulerMetrics metrics) {
        this.client = client;
        this.scheduler = scheduler;
        this.options = options;
        this.metrics = metrics;
        this.events = new ClusterEvents(client, COMPONENT, options.identity(), metrics);
        metrics.queues(this::activeSize, this::unschedulableSize, () -> leading);
    }

    /** Starts the caches (on every replica, so a new leader starts warm) and the election; returns at once. */
    public SecondaryScheduler start() {
        nodeInformer = client.nodes().inform(new NodeHandler(), 0);
        podInformer = client.pods().inAnyNamespace().inform(new PodHandler(), 0);
        election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(options.leaseName())
                .withLock(new LeaseLock(options.leaseNamespace(), options.leaseName(), options.identity()))
                .withLeaseDuration(options.leaseDuration())
                .withRenewDeadline(options.renewDeadline())
                .withRetryPeriod(options.retryPeriod())
                .withReleaseOnCancel()
                .withLeaderCallbacks(new LeaderCallbacks(this::startLeading, this::stopLeading,
                        leader -> LOG.infof("scheduler leader is %s", leader)))
                .build()).build().start();
        return this;
    }

    public boolean isLeading() {
        return leading;
    }

    /** Pods bound by this instance whose binding is still in flight. */
    public int bindingsInFlight() {
        return inFlight.get();
    }

    private synchronized void startLeading() {
        if (closed || leading) {
            return;
        }
        LOG.infof("%s leads: scheduling pods with schedulerName %s", options.identity(), options.schedulerName());
        leading = true;
        binding = Executors.newFixedThreadPool(options.binders(), r -> daemon(r, "berth-binder"));
        nodesChanged = true;
        synchronized (active) {
            // whatever the cache holds that is ours and pending: the previous leader may have left it half done
            for (Pod p : podInformer.getStore().list()) {
                if (isPendingForUs(p)) {
                    active.add(Cache.metaNamespaceKeyFunc(p));
                }
            }
            active.notifyAll();
        }
        loop = daemon(this::scheduleLoop, "berth-scheduling");
        loop.start();
    }

    private synchronized void stopLeading() {
        if (!leading) {
            return;
        }
        LOG.infof("%s stopped leading: no more bindings from it", options.identity());
        leading = false;
        Thread t = loop;
        if (t != null) {
            t.interrupt();
        }
        if (binding != null) {
            binding.shutdownNow();
        }
        assumed.clear();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private int activeSize() {
        synchronized (active) {
            return active.size();
        }
    }

    private int unschedulableSize() {
        synchronized (active) {
            return unschedulable.size();
        }
    }

    private boolean isPendingForUs(Pod p) {
        return options.schedulerName().equals(p.getSpec().getSchedulerName())
                && (p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty())
                && p.getMetadata().getDeletionTimestamp() == null
                && !isFinished(p);
    }

    private static boolean isFinished(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private void enqueue(String key) {
        synchronized (active) {
            unschedulable.remove(key);
            if (active.add(key)) {
                active.notifyAll();
            }
        }
    }

    /** Something changed that may make room: every unschedulable pod gets another attempt. */
    private void retryUnschedulable() {
        synchronized (active) {
            if (!unschedulable.isEmpty()) {
                active.addAll(unschedulable);
                unschedulable.clear();
                active.notifyAll();
            }
        }
    }

    private String take() throws InterruptedException {
        long retryAt = System.nanoTime() + options.unschedulableRetry().toNanos();
        synchronized (active) {
            while (active.isEmpty()) {
                long wait = TimeUnit.NANOSECONDS.toMillis(retryAt - System.nanoTime());
                if (wait <= 0) {
                    retryUnschedulable();
                    retryAt = System.nanoTime() + options.unschedulableRetry().toNanos();
                    continue;
                }
                active.wait(wait);
            }
            var it = active.iterator();
            String key = it.next();
            it.remove();
            return key;
        }
    }

    private void scheduleLoop() {
        while (leading && !closed) {
            String key;
            try {
                key = take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                scheduleOne(key);
            } catch (RuntimeException e) {
                LOG.errorf(e, "scheduling %s failed; retrying it later", key);
                synchronized (active) {
                    unschedulable.add(key);
                }
            }
        }
    }

    private void refreshSnapshot() {
        if (nodesChanged || snapshot == null) {
            nodesChanged = false;
            snapshotChanges.clear();
            snapshot = ClusterSnapshot.fromKubernetes(nodeInformer.getStore().list(), podInformer.getStore().list());
            // pods placed here whose binding the cache has not shown yet still take their room
            assumed.forEach((key, node) -> {
                Pod p = podInformer.getStore().getByKey(key);
                if (p != null && snapshot.nodeOf(key).isEmpty() && snapshot.node(node).isPresent()) {
                    snapshot.assume(PodInfo.of(p), node);
                }
            });
        }
        Runnable change;
        while ((change = snapshotChanges.poll()) != null) {
            change.run();
        }
    }

    private void scheduleOne(String key) {
        long started = System.nanoTime();
        refreshSnapshot();
        Pod pod = podInformer.getStore().getByKey(key);
        if (pod == null || !isPendingForUs(pod) || assumed.containsKey(key)) {
            return;
        }
        PodInfo info = PodInfo.of(pod);
        PlacementDecision decision = scheduler.schedule(snapshot, info);
        long decided = System.nanoTime();
        if (decision instanceof PlacementDecision.Placed placed) {
            metrics.decided("scheduled", decided - started);
            snapshot.assume(info, placed.nodeName());
            assumed.put(key, placed.nodeName());
            inFlight.incrementAndGet();
            binding.execute(() -> bind(pod, key, placed.nodeName(), started));
        } else if (decision instanceof PlacementDecision.Unschedulable pending) {
            metrics.decided("unschedulable", decided - started);
            synchronized (active) {
                unschedulable.add(key);
            }
            failed(pod, key, pending.diagnosis().message());
        } else if (decision instanceof PlacementDecision.Failed error) {
            metrics.decided("error", decided - started);
            synchronized (active) {
                unschedulable.add(key);
            }
            failed(pod, key, "scheduler plugin " + error.status().plugin() + " failed: " + String.join("; ", error.status().reasons()));
        }
    }

    /** A FailedScheduling event, once per pod and distinct message (kube-scheduler's events aggregate the same way). */
    private void failed(Pod pod, String key, String message) {
        if (!message.equals(lastFailure.put(key, message))) {
            events.warning(pod, "FailedScheduling", message);
        }
    }

    private void bind(Pod pod, String key, String node, long started) {
        try {
            Binding target = new BindingBuilder()
                    .withNewMetadata().withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace())
                    .withUid(pod.getMetadata().getUid()).endMetadata()
                    .withNewTarget().withApiVersion("v1").withKind("Node").withName(node).endTarget()
                    .build();
            client.bindings().inNamespace(pod.getMetadata().getNamespace()).resource(target).create();
            metrics.bound(System.nanoTime() - started);
            lastFailure.remove(key);
            events.normal(pod, "Scheduled", "Successfully assigned " + key + " to " + node);
        } catch (KubernetesClientException e) {
            metrics.bindFailed();
            LOG.warnf("binding %s to %s failed (%d %s); scheduling it again", key, node, e.getCode(), e.getMessage());
            snapshotChanges.add(() -> snapshot.forget(key));
            assumed.remove(key);
            failed(pod, key, "Binding rejected: " + e.getMessage());
            if (e.getCode() != 404) {
                enqueue(key);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** A bound pod takes its room; a gone or finished one frees it. Assumed pods are confirmed by the cache. */
    private final class PodHandler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            changed(pod, false);
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
            // a pod that starts terminating stops counting for spreading (kubernetes#87621); new labels move it between spread domains
            boolean accountingChanged = !Objects.equals(old.getMetadata().getDeletionTimestamp(), pod.getMetadata().getDeletionTimestamp())
                    || !Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels());
            changed(pod, accountingChanged);
        }

        private void changed(Pod pod, boolean accountingChanged) {
            String key = Cache.metaNamespaceKeyFunc(pod);
            String node = pod.getSpec().getNodeName();
            if (isFinished(pod)) {
                gone(key);
            } else if (node != null && !node.isEmpty()) {
                snapshotChanges.add(() -> {
                    if (accountingChanged || !snapshot.nodeOf(key).map(node::equals).orElse(false)) {
                        snapshot.forget(key);
                        if (snapshot.node(node).isPresent()) {
                            snapshot.assume(PodInfo.of(pod), node);
                        }
                    }
                    assumed.remove(key);
                });
            } else if (leading && isPendingForUs(pod)) {
                enqueue(key);
            }
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            String key = Cache.metaNamespaceKeyFunc(pod);
            synchronized (active) {
                active.remove(key);
                unschedulable.remove(key);
            }
            lastFailure.remove(key);
            gone(key);
        }

        private void gone(String key) {
            snapshotChanges.add(() -> {
                snapshot.forget(key);
                assumed.remove(key);
            });
            retryUnschedulable();
        }
    }

    /** Node changes that matter to placement rebuild the snapshot; heartbeats (status-only updates) do not. */
    private final class NodeHandler implements ResourceEventHandler<Node> {
        @Override
        public void onAdd(Node node) {
            nodesChanged = true;
            retryUnschedulable();
        }

        @Override
        public void onUpdate(Node old, Node node) {
            if (schedulingChanged(old, node)) {
                nodesChanged = true;
                retryUnschedulable();
            }
        }

        @Override
        public void onDelete(Node node, boolean finalStateUnknown) {
            nodesChanged = true;
        }
    }

    static boolean schedulingChanged(Node old, Node now) {
        return !Objects.equals(old.getSpec().getUnschedulable(), now.getSpec().getUnschedulable())
                || !Objects.equals(old.getSpec().getTaints(), now.getSpec().getTaints())
                || !Objects.equals(old.getMetadata().getLabels(), now.getMetadata().getLabels())
                || !Objects.equals(old.getStatus() == null ? null : old.getStatus().getAllocatable(),
                        now.getStatus() == null ? null : now.getStatus().getAllocatable());
    }

    /** Leaves the election (releasing the Lease, so a standby takes over at once) and stops scheduling. */
    @Override
    public void close() {
        closed = true;
        if (election != null) {
            election.cancel(true);
        }
        stopLeading();
        if (nodeInformer != null) {
            nodeInformer.close();
        }
        if (podInformer != null) {
            podInformer.close();
        }
        events.close();
    }

    /** Keys in the unschedulable set. */
    public List<String> unschedulablePods() {
        synchronized (active) {
            return new ArrayList<>(unschedulable);
        }
    }
}
