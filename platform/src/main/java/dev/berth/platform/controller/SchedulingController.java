package dev.berth.platform.controller;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.scheduler.PlacementDecision;
import dev.berth.platform.scheduler.Scheduler;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.StoreException;
import dev.berth.platform.store.WatchEvent;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scheduling loop around the pure {@link Scheduler}: takes pending pods one at a time, places each on the
 * snapshot of the nodes and the pods bound to them that {@link ObservedCluster} keeps current, and applies the decision — binding the pod (spec.nodeName, condition
 * PodScheduled) or leaving it Pending with the scheduler's reasons in its condition and a FailedScheduling event.
 * Unschedulable pods are retried whenever the cluster changes (a node, or a pod going away) and every 10 s.
 * Like kube-scheduler's default profile it places only the pods that name it ({@code spec.schedulerName}
 * {@value #SCHEDULER_NAME}, the API's default); a pod naming another scheduler waits, Pending, for that one — such as
 * Berth's own scheduler run against this core as a secondary scheduler.
 */
public final class SchedulingController implements Reconciler {

    static final Duration RETRY = Duration.ofSeconds(10);
    /** kube-scheduler's default profile's name, which the API server defaults {@code spec.schedulerName} to */
    public static final String SCHEDULER_NAME = "default-scheduler";

    private final ObjectStore store;
    private final Scheduler scheduler;
    private final EventRecorder events;
    private final Clock clock;
    private final Set<ObjectKey> unschedulable = ConcurrentHashMap.newKeySet();
    private final Timer latency;
    private final Counter scheduled;
    private final Counter failed;
    private final ObservedCluster cluster;

    public SchedulingController(ObjectStore store, Scheduler scheduler, EventRecorder events, Clock clock, MeterRegistry metrics) {
        this.store = store;
        this.scheduler = scheduler;
        this.events = events;
        this.clock = clock;
        this.cluster = new ObservedCluster(store);
        this.latency = Timer.builder("berth.scheduler.placement.duration").description("Time to decide one placement")
                .publishPercentileHistogram().register(metrics);
        this.scheduled = Counter.builder("berth.scheduler.placements").description("Placement attempts by result").tag("result", "scheduled").register(metrics);
        this.failed = Counter.builder("berth.scheduler.placements").description("Placement attempts by result").tag("result", "unschedulable").register(metrics);
        metrics.gauge("berth.scheduler.pending.pods", unschedulable, Set::size);
    }

    /**
     * Which keys a store change makes worth (re)scheduling; every change must pass here, in order (the scheduling
     * loop's picture of the cluster follows them).
     */
    public List<ObjectKey> interestedIn(WatchEvent e) {
        cluster.observe(e);
        List<ObjectKey> keys = new ArrayList<>();
        if (e.key().kind() == ResourceKind.POD) {
            Pod p = (Pod) e.object();
            if (e.type() != WatchEvent.Type.DELETED && !PodStatuses.isScheduled(p) && !PodStatuses.isTerminating(p) && responsibleFor(p)) {
                keys.add(e.key());
            }
            boolean freedRoom = e.type() == WatchEvent.Type.DELETED || PodStatuses.isTerminating(p) || PodStatuses.isFinished(p);
            if (freedRoom) {
                keys.addAll(unschedulable);
            }
        } else if (e.key().kind() == ResourceKind.NODE) {
            keys.addAll(unschedulable);
        }
        return keys;
    }

    /** upstream's responsibleForPod: the pod names this scheduler (a pod the API did not default names none) */
    static boolean responsibleFor(Pod pod) {
        String name = pod.getSpec().getSchedulerName();
        return name == null || name.isEmpty() || SCHEDULER_NAME.equals(name);
    }

    @Override
    public ReconcileResult reconcile(ObjectKey key) {
        Optional<Pod> found = store.get(key);
        if (found.isEmpty() || PodStatuses.isScheduled(found.get()) || PodStatuses.isTerminating(found.get()) || !responsibleFor(found.get())) {
            unschedulable.remove(key);
            return ReconcileResult.noChange();
        }
        Pod pod = found.get();
        ClusterSnapshot snapshot = cluster.current();
        long started = System.nanoTime();
        PlacementDecision decision = scheduler.schedule(snapshot, PodInfo.of(pod));
        latency.record(Duration.ofNanos(System.nanoTime() - started));
        if (decision instanceof PlacementDecision.Placed placed) {
            return bind(key, pod, placed.nodeName());
        }
        String message = decision instanceof PlacementDecision.Unschedulable u ? u.diagnosis().message()
                : "scheduler error: " + ((PlacementDecision.Failed) decision).status().reasons();
        failed.increment();
        unschedulable.add(key);
        boolean changed = setScheduledCondition(key, pod, false, "Unschedulable", message);
        if (changed) {
            events.warning(pod, SCHEDULER_NAME, "FailedScheduling", message);
        }
        return ReconcileResult.requeueAfter(RETRY);
    }

    private ReconcileResult bind(ObjectKey key, Pod pod, String node) {
        Pod bound;
        try {
            bound = (Pod) store.<Pod>mutateShared(key, p -> {
                if (p.getSpec().getNodeName() == null && p.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
                    p.getSpec().setNodeName(node);
                    condition(p, true, null, null);
                }
                return p;
            }).object(); // read here, never changed: the stored pod itself, not a copy
        } catch (StoreException gone) {
            return ReconcileResult.noChange();
        }
        if (node.equals(bound.getSpec().getNodeName()) && bound.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
            cluster.assumed(PodInfo.of(bound), node); // the next pod is placed knowing this one, before the bind is observed
        }
        unschedulable.remove(key);
        scheduled.increment();
        events.normal(pod, SCHEDULER_NAME, "Scheduled", "Successfully assigned " + key.namespace() + "/" + key.name() + " to " + node);
        return ReconcileResult.changedState();
    }

    private boolean setScheduledCondition(ObjectKey key, Pod pod, boolean value, String reason, String message) {
        Pod before = pod;
        try {
            Pod after = store.<Pod>mutate(key, p -> {
                condition(p, value, reason, message);
                return p;
            });
            return !after.getMetadata().getResourceVersion().equals(before.getMetadata().getResourceVersion());
        } catch (StoreException gone) {
            return false;
        }
    }

    private void condition(Pod p, boolean value, String reason, String message) {
        if (p.getStatus() == null) {
            p.setStatus(new PodStatus());
        }
        List<PodCondition> conditions = p.getStatus().getConditions() == null ? new ArrayList<>() : new ArrayList<>(p.getStatus().getConditions());
        String status = value ? "True" : "False";
        PodCondition existing = conditions.stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
        if (existing != null && status.equals(existing.getStatus()) && java.util.Objects.equals(message, existing.getMessage())) {
            return;
        }
        conditions.removeIf(c -> "PodScheduled".equals(c.getType()));
        conditions.add(new PodConditionBuilder().withType("PodScheduled").withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString()).build());
        p.getStatus().setConditions(conditions);
        if (p.getStatus().getPhase() == null) {
            p.getStatus().setPhase("Pending");
        }
    }

    public Set<ObjectKey> unschedulable() {
        return Set.copyOf(unschedulable);
    }
}
