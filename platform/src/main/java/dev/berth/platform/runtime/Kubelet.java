package dev.berth.platform.runtime;

import dev.berth.platform.config.CoreConfig;
import dev.berth.platform.controller.ControllerLoop;
import dev.berth.platform.controller.ReconcileResult;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.probe.ProbeCheck;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.WatchEvent;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The kubelet of every virtual node: watches pods bound to nodes and makes the machine match — one
 * {@link PodWorker} per pod. A pod on a node that is not Ready is killed at once and marked Failed
 * ({@code NodeLost}), so its controller replaces it elsewhere; a deleted pod is stopped gracefully and then
 * removed from the store. On start it adopts the processes a crashed core left running; on close it stops
 * every replica, so none outlives the core. Every {@code berth.runtime.log-monitor-interval} it rotates the replicas'
 * logs ({@link LogRotation}) and removes those of instances older than the previous one ({@link RetiredLogs}); every
 * {@link LogTimes#RESOLUTION} it records how far each log was written ({@link LogTimes}). Pods bound to a Node registered through the API (not one of the configured virtual nodes) are
 * not this kubelet's: they are neither started nor, when deleted, finished — as upstream's pods on a node whose
 * kubelet is absent.
 */
public final class Kubelet implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Kubelet.class);
    /** An unclaimed replica was never reported running, so nothing routes to it: a short grace. */
    private static final Duration UNCLAIMED_GRACE = Duration.ofSeconds(2);

    /** What pod workers need. */
    public record Deps(ObjectStore store, EventRecorder events, EnvironmentResolver env, List<ContainerRuntime> runtimes,
            ProbeCheck probes, ScheduledExecutorService timer, ExecutorService workers, TrafficDrain drain,
            CoreConfig.Runtime config, PodStatusWriter status, PodDirectories dirs, KubeletMetrics metrics, ReplicaLedger ledger,
            HostPortAllocator ports) {

        ContainerRuntime runtimeFor(String image) {
            return runtimes.stream().filter(r -> r.handles(image)).findFirst().orElseThrow();
        }
    }

    private final Deps deps;
    private final Map<ObjectKey, PodWorker> workers = new ConcurrentHashMap<>();
    private final ControllerLoop loop;
    private final LogRotation rotation;
    private final RetiredLogs retired;
    private final LogTimes times;
    private AutoCloseable subscription;
    /** Its own thread: a pass may wait on the file system (a punch on a busy disk), never delaying probes' timers. */
    private final ScheduledExecutorService rotating = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubelet-log-rotation");
        t.setDaemon(true);
        return t;
    });
    private String lastRotationFailure;
    private String lastSampleFailure;

    public Kubelet(ObjectStore store, EventRecorder events, EnvironmentResolver env, List<ContainerRuntime> runtimes, ProbeCheck probes,
            ScheduledExecutorService timer, ExecutorService executor, TrafficDrain drain, CoreConfig.Runtime config,
            java.time.Clock clock, PodDirectories dirs, KubeletMetrics metrics, ReplicaLedger ledger, LogRotation rotation, RetiredLogs retired,
            LogTimes times) {
        this.deps = new Deps(store, events, env, runtimes, probes, timer, executor, drain, config, new PodStatusWriter(store, clock), dirs, metrics, ledger,
                HostPortAllocator.forThisMachine());
        this.loop = new ControllerLoop("kubelet", this::reconcile);
        this.rotation = rotation;
        this.retired = retired;
        this.times = times;
    }

    public void start() {
        stopUnclaimedReplicas();
        subscription = deps.store().watch(k -> k.kind() == ResourceKind.POD || k.kind() == ResourceKind.NODE, this::route);
        for (Pod p : deps.store().<Pod>list(ResourceKind.POD, null, null)) {
            loop.enqueue(ObjectKey.of(p));
        }
        long every = deps.config().logMonitorInterval().toMillis();
        rotating.scheduleWithFixedDelay(this::rotateLogs, every, every, TimeUnit.MILLISECONDS);
        long resolution = LogTimes.RESOLUTION.toMillis();
        rotating.scheduleWithFixedDelay(this::sampleLogTimes, 0, resolution, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the replica processes a crashed core started but never recorded in a pod's status (it died between the
     * two): no pod worker would adopt them, and the container started in their place would find its port taken
     * and crash-loop. Runs before any pod worker starts, as upstream's kubelet removes containers no pod claims.
     */
    private void stopUnclaimedReplicas() {
        Set<String> claimed = new HashSet<>();
        for (Pod p : deps.store().<Pod>list(ResourceKind.POD, null, null)) {
            if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
                p.getStatus().getContainerStatuses().stream()
                        .filter(c -> c.getState() != null && c.getState().getRunning() != null) // what a pod worker adopts
                        .map(ContainerStatus::getContainerID)
                        .filter(Objects::nonNull)
                        .forEach(claimed::add);
            }
        }
        List<ReplicaProcess> unclaimed = deps.ledger().survivors().stream().filter(r -> !claimed.contains(r.containerId())).toList();
        if (unclaimed.isEmpty()) {
            return;
        }
        LOG.warnf("stopping %d replica process(es) no pod's status claims (started by a core that crashed before recording them): pids %s",
                unclaimed.size(), unclaimed.stream().map(ReplicaProcess::pid).toList());
        unclaimed.forEach(deps.ledger()::track); // forgotten once stopped
        unclaimed.parallelStream().forEach(r -> r.stop(UNCLAIMED_GRACE));
    }

    private void sampleLogTimes() {
        try {
            times.sample(deps.dirs().logFiles());
            lastSampleFailure = null;
        } catch (java.nio.channels.ClosedByInterruptException stopping) {
            Thread.currentThread().interrupt(); // the kubelet is closing
        } catch (java.io.IOException | RuntimeException e) {
            if (!e.toString().equals(lastSampleFailure)) { // a scheduled task that throws is never run again
                LOG.warnf(e, "recording when replica log lines were written failed; trying again every %s", LogTimes.RESOLUTION);
                lastSampleFailure = e.toString();
            }
        }
    }

    private void rotateLogs() {
        try {
            rotation.rotate();
            retired.remove();
            lastRotationFailure = null;
        } catch (java.io.IOException | RuntimeException e) {
            // a scheduled task that throws is never run again; say it once per cause, not every second
            if (!e.toString().equals(lastRotationFailure)) {
                LOG.warnf(e, "rotating replica logs failed; trying again every %s", deps.config().logMonitorInterval());
                lastRotationFailure = e.toString();
            }
        }
    }

    private void route(WatchEvent e) {
        if (e.key().kind() == ResourceKind.POD) {
            loop.enqueue(e.key());
        } else {
            // a node changed (failed, recovered): every pod on it needs a look
            String node = e.key().name();
            for (Pod p : deps.store().<Pod>list(ResourceKind.POD, null, null)) {
                if (node.equals(p.getSpec().getNodeName())) {
                    loop.enqueue(ObjectKey.of(p));
                }
            }
        }
    }

    private ReconcileResult reconcile(ObjectKey key) {
        PodWorker worker = workers.get(key);
        if (worker == null && notForThisKubelet(key)) {
            return ReconcileResult.noChange();
        }
        Optional<Pod> found = deps.store().get(key);
        if (found.isEmpty() || (worker != null && !worker.uid.equals(found.get().getMetadata().getUid()))) {
            if (worker != null) {
                workers.remove(key);
                deps.workers().submit(worker::killNow); // removed behind our back: nothing left to drain
            }
            if (found.isEmpty()) {
                return ReconcileResult.noChange();
            }
            worker = null;
        }
        Pod pod = found.get();
        if (!PodStatuses.isScheduled(pod)) {
            return ReconcileResult.noChange();
        }
        Optional<Node> node = deps.store().getShared(new ObjectKey(ResourceKind.NODE, null, pod.getSpec().getNodeName())); // only read
        if (worker == null && node.isPresent() && !isVirtual(node.get())) {
            return ReconcileResult.noChange(); // a Node registered through the API has its own kubelet (or none), not this one
        }
        if (!nodeReady(node)) {
            if (worker != null) {
                workers.remove(key);
                deps.workers().submit(worker::killNow);
            }
            if (!PodStatuses.isFinished(pod)) {
                markNodeLost(pod);
            }
            if (PodStatuses.isTerminating(pod)) {
                deps.store().delete(key);
            }
            return ReconcileResult.changedState();
        }
        if (PodStatuses.isTerminating(pod)) {
            if (worker == null) {
                finish(key, pod);
            } else if (!worker.isStopping() && worker.claimStop()) {
                PodWorker w = worker;
                deps.workers().submit(() -> {
                    w.stopGracefully(pod);
                    workers.remove(key, w);
                    finish(key, pod);
                });
            } else {
                worker.shortenGrace(pod); // deleted again while stopping, perhaps with a shorter grace
            }
            return ReconcileResult.changedState();
        }
        if (worker == null && !PodStatuses.isFinished(pod)) {
            PodWorker w = new PodWorker(deps, pod);
            workers.put(key, w);
            deps.workers().submit(() -> {
                try {
                    w.start();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "starting %s failed", key);
                }
            });
            return ReconcileResult.changedState();
        }
        return ReconcileResult.noChange();
    }

    /**
     * A pod this kubelet has no worker for and nothing to do with: not scheduled yet, or bound to a Node registered
     * through the API (whose kubelet, if any, is not this one). Read from the store's shared object, without the copy
     * {@link #reconcile} takes of a pod it acts on: every pod change reaches this kubelet, and most are of such pods.
     */
    private boolean notForThisKubelet(ObjectKey key) {
        Optional<Pod> shared = deps.store().getShared(key);
        if (shared.isEmpty()) {
            return false;
        }
        Pod pod = shared.get();
        if (!PodStatuses.isScheduled(pod)) {
            return true;
        }
        Optional<Node> node = deps.store().getShared(new ObjectKey(ResourceKind.NODE, null, pod.getSpec().getNodeName()));
        return node.isPresent() && !isVirtual(node.get());
    }

    /** One of the configured nodes this kubelet runs (see {@link VirtualNodes}). */
    static boolean isVirtual(Node node) {
        var labels = node.getMetadata().getLabels();
        return labels != null && "true".equals(labels.get(VirtualNodes.VIRTUAL_LABEL));
    }

    private static boolean nodeReady(Optional<Node> node) {
        return node
                .map(n -> n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .orElse(false);
    }

    private void markNodeLost(Pod pod) {
        deps.status().update(ObjectKey.of(pod), pod.getMetadata().getUid(), p -> {
            p.getStatus().setPhase(PodStatuses.FAILED);
            p.getStatus().setReason("NodeLost");
            p.getStatus().setMessage("Node " + p.getSpec().getNodeName() + " which was running pod " + p.getMetadata().getName() + " is unresponsive");
            if (p.getStatus().getContainerStatuses() != null) {
                p.getStatus().getContainerStatuses().forEach(cs -> {
                    cs.setReady(false);
                    if (cs.getState() != null && cs.getState().getRunning() != null) {
                        cs.setState(deps.status().terminated(137, "NodeLost", "node failed", cs.getState().getRunning().getStartedAt()));
                    }
                });
                p.getStatus().getContainerStatuses().forEach(cs -> cs.setReady(false));
            }
        });
        deps.events().warning(pod, PodWorker.COMPONENT, "NodeLost", "Node " + pod.getSpec().getNodeName() + " failed; pod marked Failed");
    }

    /** Removes a stopped pod from the store (the end of graceful deletion) and its directory. */
    private void finish(ObjectKey key, Pod pod) {
        deps.store().<Pod>get(key).filter(p -> p.getMetadata().getUid().equals(pod.getMetadata().getUid()))
                .ifPresent(p -> deps.store().delete(key));
        deps.dirs().deletePodDir(key.namespace(), key.name());
    }

    /** The pids of running replicas, for {@code berth down}'s orphan check. */
    public Map<ObjectKey, PodWorker> workers() {
        return Map.copyOf(workers);
    }

    /**
     * Stops every replica (graceful, at most {@code grace} each), in parallel: each worker once it has finished
     * launching or adopting, then any process of a pod no worker had reached yet (a core stopped right after a
     * restart, before it adopted everything) — none outlives the core.
     */
    public void stopAll(Duration grace) {
        Instant deadline = Instant.now().plus(grace);
        List<PodWorker> all = List.copyOf(workers.values());
        workers.clear();
        all.parallelStream().forEach(w -> {
            w.awaitStarted(Duration.between(Instant.now(), deadline));
            w.stopGracefully(w.graceOverride(Duration.between(Instant.now(), deadline)));
        });
        List<ReplicaProcess> unreached = deps.store().<Pod>list(ResourceKind.POD, null, null).stream()
                .filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
                .flatMap(p -> p.getStatus().getContainerStatuses().stream())
                .map(c -> ReplicaProcess.adopt(c.getContainerID()))
                .flatMap(Optional::stream)
                .toList();
        if (!unreached.isEmpty()) {
            LOG.infof("stopping %d replica process(es) no pod worker had adopted yet", unreached.size());
            unreached.forEach(deps.ledger()::track); // forgotten once stopped
            unreached.parallelStream().forEach(r -> {
                Duration left = Duration.between(Instant.now(), deadline);
                r.stop(left.isNegative() ? Duration.ZERO : left);
            });
        }
    }

    @Override
    public void close() throws Exception {
        rotating.shutdownNow();
        loop.close();
        if (subscription != null) {
            subscription.close();
        }
        stopAll(Duration.ofSeconds(15));
        deps.workers().shutdown();
        deps.workers().awaitTermination(20, TimeUnit.SECONDS);
    }
}
