package dev.berth.platform.cluster;

import dev.berth.platform.controller.Canary;
import dev.berth.platform.controller.CanaryAnalysis;
import dev.berth.platform.controller.DeploymentPlanner;
import dev.berth.platform.engine.EngineChanges;
import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.PrometheusCanaryAnalysis;
import dev.berth.platform.engine.RolloutAction;
import dev.berth.platform.engine.RolloutStatus;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Follows a Deployment's rollout on a cluster and rolls it back when Kubernetes alone would not: when the rollout
 * reports {@code ProgressDeadlineExceeded}, or when a pod of the new revision crash-loops (a container in
 * {@code CrashLoopBackOff}, or restarted {@link #crashLoopRestarts} times) — long before a progress deadline would
 * notice — or, given an analysis, when the new revision fails the Deployment's canary thresholds. The rollback is
 * {@code rollout undo} (the previous ReplicaSet's template, as kubectl applies it) plus a
 * Warning event {@code RolloutRolledBack} on the Deployment saying why, so {@code kubectl describe} shows it.
 *
 * <p>Woken by watches on the Deployment, its ReplicaSets and pods (never a fixed sleep), bounded by a timeout.
 */
public final class RolloutSupervisor {

    private static final Logger LOG = Logger.getLogger(RolloutSupervisor.class);
    public static final String COMPONENT = "berth-rollout-supervisor";
    public static final String ROLLED_BACK = "RolloutRolledBack";

    /** How the rollout ended: done (true when complete), rolled back with the reason, or still going at the timeout. */
    public record Verdict(Outcome outcome, String reason, long revision) {
        public enum Outcome { COMPLETE, ROLLED_BACK, FAILED, TIMED_OUT }
    }

    private final Engine engine;
    private final KubernetesClient client;
    private final int crashLoopRestarts;
    private final CanaryAnalysis analysis;

    /** Three restarts of a container of the new revision count as crash-looping. */
    public static final int DEFAULT_CRASH_LOOP_RESTARTS = 3;

    /** @param crashLoopRestarts restarts of one container of the new revision that count as crash-looping (≥ 1) */
    public RolloutSupervisor(Engine engine, int crashLoopRestarts) {
        this(engine, crashLoopRestarts, null);
    }

    /**
     * With {@code analysis} (e.g. {@link PrometheusCanaryAnalysis} on {@link PrometheusCanaryAnalysis#SERVICE} series at
     * the cluster's Prometheus), a Deployment carrying the canary annotations ({@link Canary}) has its new revision
     * judged every step length with the same thresholds as on the local engine (the steps' traffic shares do not apply:
     * Kubernetes' RollingUpdate shifts the traffic). A failing verdict rolls back; after the rollout completes the
     * supervisor waits for one passing verdict, at most three step lengths (inconclusive then: complete, said so).
     */
    public RolloutSupervisor(Engine engine, int crashLoopRestarts, CanaryAnalysis analysis) {
        this.analysis = analysis;
        if (crashLoopRestarts < 1) {
            throw new IllegalArgumentException("crashLoopRestarts must be at least 1, got " + crashLoopRestarts);
        }
        this.engine = engine;
        this.client = engine.client();
        this.crashLoopRestarts = crashLoopRestarts;
    }

    /**
     * Follows the rollout until it completes, is rolled back, or {@code timeout} passes; {@code progress} gets each
     * new status line.
     */
    public Verdict supervise(String namespace, String name, Duration timeout, Consumer<String> progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (EngineChanges changes = EngineChanges.watch(engine, namespace, ResourceKind.DEPLOYMENT, ResourceKind.REPLICASET, ResourceKind.POD)) {
            String last = null;
            Instant lastAnalysis = Instant.MIN;
            Instant completedAt = null;
            Canary.Verdict lastVerdict = null;
            while (true) {
                Deployment d = engine.<Deployment>get(ResourceKind.DEPLOYMENT, namespace, name)
                        .orElseThrow(() -> new IllegalArgumentException("deployments.apps \"" + name + "\" not found in " + namespace));
                List<ReplicaSet> owned = owned(d);
                long revision = owned.isEmpty() ? 0 : DeploymentPlanner.revision(owned.get(0));
                RolloutStatus status = RolloutStatus.of(d, owned);
                if (!status.message().equals(last)) {
                    progress.accept(status.message());
                    last = status.message();
                }
                Optional<Canary.Settings> judged = analysis == null || owned.size() < 2 ? Optional.empty() : Canary.settings(d);
                if (status.done() && !status.failed()) {
                    if (judged.isEmpty() || (lastVerdict != null && lastVerdict.outcome() == Canary.Verdict.Outcome.PASS)) {
                        return new Verdict(Verdict.Outcome.COMPLETE, status.message(), revision);
                    }
                    completedAt = completedAt == null ? Instant.now() : completedAt;
                    if (Instant.now().isAfter(completedAt.plus(judged.get().stepDuration().multipliedBy(3)))) {
                        return new Verdict(Verdict.Outcome.COMPLETE, status.message() + "; analysis inconclusive: "
                                + (lastVerdict == null ? "no verdict" : lastVerdict.detail()), revision);
                    }
                }
                if (status.failed()) {
                    return rollBack(d, owned, "ProgressDeadlineExceeded: " + status.message());
                }
                Optional<String> crashLoop = owned.isEmpty() ? Optional.empty() : crashLooping(d, owned.get(0));
                if (crashLoop.isPresent()) {
                    return rollBack(d, owned, "CrashLoop: " + crashLoop.get());
                }
                if (judged.isPresent()) {
                    ReplicaSet newest = owned.get(0);
                    Instant since = newest.getMetadata().getCreationTimestamp() == null ? Instant.now()
                            : Instant.parse(newest.getMetadata().getCreationTimestamp());
                    Instant now = Instant.now();
                    Duration step = judged.get().stepDuration();
                    if (!now.isBefore(since.plus(step)) && !now.isBefore(lastAnalysis.plus(step))) {
                        lastAnalysis = now;
                        lastVerdict = analysis.analyse(d, newest, judged.get(), since, now);
                        progress.accept("analysis of revision " + revision + ": " + lastVerdict.outcome() + ", " + lastVerdict.detail());
                        if (lastVerdict.outcome() == Canary.Verdict.Outcome.FAIL) {
                            return rollBack(d, owned, "AnalysisFailed: " + lastVerdict.detail());
                        }
                        continue; // a pass may complete the supervision at once
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Verdict(Verdict.Outcome.TIMED_OUT, "still rolling out after " + timeout + ": " + status.message(), revision);
                }
                // a watch event, or at the latest every 5 s (a watch can be closed by the server)
                changes.await(Duration.ofNanos(Math.min(left, TimeUnit.SECONDS.toNanos(5))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict(Verdict.Outcome.TIMED_OUT, "interrupted", 0);
        }
    }

    private List<ReplicaSet> owned(Deployment d) {
        return engine.<ReplicaSet>list(ResourceKind.REPLICASET, d.getMetadata().getNamespace(), null).stream()
                .filter(rs -> Owners.isOwnedBy(rs, d))
                .sorted(Comparator.comparingLong(DeploymentPlanner::revision).reversed()).toList();
    }

    /** A container of the newest ReplicaSet's pods in CrashLoopBackOff or restarted often enough: which, and why. */
    private Optional<String> crashLooping(Deployment d, ReplicaSet newest) {
        Map<String, String> selector = newest.getSpec().getSelector() == null ? null : newest.getSpec().getSelector().getMatchLabels();
        if (selector == null || selector.isEmpty()) {
            return Optional.empty();
        }
        String labels = selector.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        for (Pod p : engine.<Pod>list(ResourceKind.POD, d.getMetadata().getNamespace(), labels)) {
            if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null || !Owners.isOwnedBy(p, newest)) {
                continue;
            }
            for (ContainerStatus c : p.getStatus().getContainerStatuses()) {
                boolean backOff = c.getState() != null && c.getState().getWaiting() != null
                        && "CrashLoopBackOff".equals(c.getState().getWaiting().getReason());
                int restarts = c.getRestartCount() == null ? 0 : c.getRestartCount();
                if (backOff || restarts >= crashLoopRestarts) {
                    String why = c.getLastState() != null && c.getLastState().getTerminated() != null
                            ? ", last exit " + c.getLastState().getTerminated().getExitCode()
                                    + (c.getLastState().getTerminated().getReason() == null ? "" : " (" + c.getLastState().getTerminated().getReason() + ")")
                            : "";
                    return Optional.of("container " + c.getName() + " of pod " + p.getMetadata().getName() + " of revision "
                            + DeploymentPlanner.revision(newest) + (backOff ? " is in CrashLoopBackOff" : " restarted") + " after " + restarts
                            + " restarts" + why);
                }
            }
        }
        return Optional.empty();
    }

    private Verdict rollBack(Deployment d, List<ReplicaSet> owned, String reason) {
        String name = d.getMetadata().getName();
        if (owned.size() < 2) {
            // nothing to go back to: the first revision failed; report it, change nothing
            return new Verdict(Verdict.Outcome.FAILED, reason + "; no earlier revision to roll back to", owned.isEmpty() ? 0
                    : DeploymentPlanner.revision(owned.get(0)));
        }
        long from = DeploymentPlanner.revision(owned.get(0));
        long to = DeploymentPlanner.revision(owned.get(1));
        LOG.warnf("rolling %s/%s back from revision %d to %d: %s", d.getMetadata().getNamespace(), name, from, to, reason);
        engine.rollout(d.getMetadata().getNamespace(), name, new RolloutAction.Undo(to));
        String message = "Rolled back from revision " + from + " to the template of revision " + to + ": " + reason;
        try (ClusterEvents events = new ClusterEvents(client, COMPONENT, COMPONENT, null)) {
            events.warning(d, ROLLED_BACK, message);
        }
        return new Verdict(Verdict.Outcome.ROLLED_BACK, message, to);
    }
}
